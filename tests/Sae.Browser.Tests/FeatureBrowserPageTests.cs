using System.Globalization;
using Sae.Games.Chess;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Reports;
using static TorchSharp.torch;

namespace Sae.Browser.Tests;

public sealed class FeatureBrowserPageTests(SmokeRun run, Chromium chromium) : IClassFixture<SmokeRun>, IClassFixture<Chromium>
{
    [SkippableFact]
    public async Task Choosing_a_feature_shows_its_lift_map_with_a_scale_its_top_boards_histogram_and_neighbours()
    {
        chromium.Require();
        var watched = await chromium.OpenAsync(Path.Combine(run.Directory, FeatureBrowserPage.FileName));
        var page = watched.Page;
        var rows = page.Locator("#feature-list tbody tr");
        (await rows.CountAsync()).Should().Be(32, "every feature of the 32-feature SAE is listed");
        (await page.Locator("#sae option").CountAsync()).Should().BeGreaterThan(1, "the best SAE of each family can be chosen");

        // The list opens most board-specific first; sorting by F1 puts the largest first.
        var lifts = await Column(2);
        lifts.Should().BeInDescendingOrder();
        await page.Locator("#feature-list th[data-key=f1]").ClickAsync();
        (await Column(9)).Should().BeInDescendingOrder();

        // Choose a starred feature (one with a closer look) further down the list.
        var starred = rows.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("★") });
        var chosen = starred.Nth(Math.Min(1, await starred.CountAsync() - 1));
        var feature = (await chosen.Locator("td").First.InnerTextAsync()).Trim('★', ' ');
        await chosen.ClickAsync();
        (await page.Locator("#detail h2").InnerTextAsync()).Should().Be($"Feature {feature}");
        (await page.Locator("#detail .heatmap svg rect").CountAsync()).Should().BeGreaterThanOrEqualTo(64, "a square per cell of the board, and the scale");
        (await page.Locator("#detail .colour-scale").CountAsync()).Should().Be(1);
        var boards = await page.Locator("#detail figure.board").CountAsync();
        boards.Should().BeInRange(1, 8);
        (await page.Locator("#detail figure.board svg").First.Locator("circle.disc").CountAsync()).Should().BeGreaterThan(4, "an Othello position has its discs");
        (await page.Locator("#detail figure.board svg rect.moved").CountAsync()).Should().Be(boards, "each board outlines the move just played");
        (await page.Locator("#detail .histogram rect.bar").CountAsync()).Should().Be(20);
        (await page.Locator("#detail .neighbours li").CountAsync()).Should().Be(5);

        // The filter narrows the list to one feature by its number.
        await page.FillAsync("#filter", feature);
        (await rows.CountAsync()).Should().Be(1);

        await page.FillAsync("#filter", "");
        await chosen.ClickAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, "features.png"), FullPage = true });
        watched.Errors.Should().BeEmpty();
        watched.OutsideRequests.Should().BeEmpty();

        async Task<List<double>> Column(int n) =>
            [.. (await page.Locator($"#feature-list tbody tr td:nth-child({n})").AllInnerTextsAsync()).Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
    }

    [SkippableFact]
    public async Task Chess_positions_are_drawn_as_chess_boards()
    {
        chromium.Require();
        var transcripts = Enumerable.Range(0, 6).Select(i => ChessGptTranscript.Format(RandomChessGames.Game(11, i, maxPlies: 40))).ToList();
        var train = GamePositions.Chess(transcripts, [ChessProperties.PieceBlankInitialMasked]);
        using var features = rand(train.Rows, 8).sub_(0.5).relu_();
        using var decoder = rand(8, 4);
        var path = Path.Combine(Path.GetTempPath(), $"chess-browser-{Guid.NewGuid():N}.html");
        try
        {
            FeatureBrowserPage.Write(path, [FeatureBrowsing.Measure("chess-toy", features, train, train.Slices[0], decoder, details: 4, minimumOn: 1)]);
            var watched = await chromium.OpenAsync(path);
            var pieces = watched.Page.Locator("#detail figure.board").First.Locator("text.piece");
            (await pieces.CountAsync()).Should().BeInRange(2, 32, "a chess position has between 2 and 32 pieces");
            (await watched.Page.Locator("#detail figure.board").First.Locator("circle.disc").CountAsync()).Should().Be(0);
            await watched.Page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, "features-chess.png"), FullPage = true });
            watched.Errors.Should().BeEmpty();
            watched.OutsideRequests.Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }
}

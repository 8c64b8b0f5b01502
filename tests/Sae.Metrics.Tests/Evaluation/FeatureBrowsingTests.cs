using System.Text.Json;
using Sae.Games;
using Sae.Games.Chess;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Reports;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Evaluation;

public class FeatureBrowsingTests
{
    private static GamePositions Train() =>
        GamePositions.Othello([.. Enumerable.Range(0, 12).Select(i => RandomOthelloGames.Game(5, i))], [OthelloProperties.MineYoursBlankMasked]);

    [Fact]
    public void A_feature_that_is_exactly_one_element_is_found_with_F1_1_its_top_boards_and_its_decoder_twin()
    {
        var train = Train();
        var rows = train.Rows;
        var channels = train.Slices[0].Shape.Channels;
        // Pick an element that holds at between 20% and 80% of the positions (square c3 class 0, or the first such).
        var element = Enumerable.Range(0, 192).First(s => Enumerable.Range(0, rows).Count(r => train.Labels[r * train.Elements + s] == 1) is var n && n > rows / 5 && n < rows * 4 / 5);
        var acts = new float[rows, 3];
        var holds = 0;
        for (var r = 0; r < rows; r++)
        {
            if (train.Labels[r * train.Elements + element] == 1) { acts[r, 0] = 1 + r * 1e-3f; holds++; }  // feature 0: exactly the element, largest at the last row
            acts[r, 2] = 0.5f;                                                                            // feature 2: always on (no lift)
        }
        using var features = tensor(acts);
        using var decoder = tensor(new float[,] { { 1, 2, 0 }, { 0, 0, 1 }, { 2, 4, 0 } });               // feature 2's direction is feature 0's
        var data = FeatureBrowsing.Measure("toy", features, train, train.Slices[0], decoder, details: 2, topPositions: 3, bins: 4);

        data.Game.Should().Be("othello");
        data.Features.Should().HaveCount(3);
        data.Features[0].Feature.Should().Be(0, "the most board-specific feature comes first");
        var exact = data.Features[0];
        (exact.Square * channels + exact.Channel).Should().Be(element);
        exact.F1.Should().BeApproximately(1, 1e-6);
        (exact.Precision, exact.Recall).Should().Be((1.0, 1.0));
        exact.LabelsAnything.Should().BeTrue("precision 1 with far more than 10 true positives labels the element");
        exact.Density.Should().BeApproximately((double)holds / rows, 1e-6);
        data.Features.Single(f => f.Feature == 1).Square.Should().BeNull("a feature never on has no best element");

        var detail = data.Details.Single(d => d.Feature == 0);
        detail.Channel.Should().Be(element % channels);
        detail.Lift[element / channels].Should().BeApproximately(1 - (double)holds / rows, 1e-5, "P(class | on) = 1 against its base rate");
        detail.Top.Select(t => t.Activation).Should().BeInDescendingOrder();
        detail.Top[0].Row.Should().Be(Enumerable.Range(0, rows).Last(r => acts[r, 0] > 0));
        detail.Top[0].Board.Squares.Should().Be(train.Picture(detail.Top[0].Row).Squares);
        detail.Histogram.Sum().Should().Be(holds, "every positive activation falls in one bin");
        detail.Neighbours[0].Feature.Should().Be(2, "feature 2's decoder row is twice feature 0's");
        detail.Neighbours[0].Cosine.Should().BeApproximately(1, 1e-6);
        detail.Neighbours[1].Cosine.Should().BeApproximately(0, 1e-6, "feature 1's row is orthogonal");
        // A square is informative exactly where its label column for the mapped class holds both 0s and 1s (counted here
        // from the labels themselves); the blank-masked BSP's blank class never varies anywhere.
        for (var square = 0; square < 64; square++)
        {
            var column = square * channels + detail.Channel;
            var ones = Enumerable.Range(0, rows).Count(r => train.Labels[r * train.Elements + column] == 1);
            detail.Informative[square].Should().Be(ones > 0 && ones < rows, $"square {square}");
        }
    }

    [Fact]
    public void Boards_show_the_pieces_the_move_just_played_and_the_legal_moves()
    {
        var game = RandomOthelloGames.Game(5, 0);
        var first = BoardPicture.Of(game.Plies[0]);
        first.Squares.Count(c => c != '.').Should().Be(5, "four starting discs and the one just placed");
        first.Moved.Should().Equal(game.Plies[0].Move.Index);
        first.Marked.Should().HaveCount(System.Numerics.BitOperations.PopCount(game.Plies[0].Position.LegalMoves));
        var start = BoardPicture.Of(ChessPosition.Initial, null);
        start.Squares[..8].Should().Be("RNBQKBNR", "a1 … h1");
        start.Marked.Should().HaveCount(16, "White's 20 opening moves go to the 16 squares of ranks 3 and 4");
        start.Moved.Should().BeEmpty();
        var afterE4E5 = ChessPosition.FromFen("rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2");
        BoardPicture.Of(afterE4E5, ChessPosition.Initial).Moved.Select(s => new Square(s).Name).Should().BeEquivalentTo(["e2", "e4", "e7", "e5"]);
    }

    [Fact]
    public void The_page_is_one_file_with_its_data_and_no_request_leaving_it()
    {
        var train = Train();
        using var features = rand(train.Rows, 6);
        using var decoder = rand(6, 4);
        var data = FeatureBrowsing.Measure("toy-sae", features.relu(), train, train.Slices[0], decoder, details: 4);
        var path = Path.Combine(Path.GetTempPath(), $"browser-{Guid.NewGuid():N}.html");
        try
        {
            FeatureBrowserPage.Write(path, [data]);
            File.Exists(path + ".tmp").Should().BeFalse();
            var html = File.ReadAllText(path);
            html.Should().Contain("toy-sae").And.NotContainAny("src=\"http", "href=\"http", "<link", "import(");
            var start = html.IndexOf("<script type=\"application/json\" id=\"data\">", StringComparison.Ordinal);
            var json = html[(html.IndexOf('>', start) + 1)..html.IndexOf("</script>", start, StringComparison.Ordinal)];
            using var doc = JsonDocument.Parse(json);
            doc.RootElement[0].GetProperty("features").GetArrayLength().Should().Be(6);
            doc.RootElement[0].GetProperty("details").GetArrayLength().Should().Be(4);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

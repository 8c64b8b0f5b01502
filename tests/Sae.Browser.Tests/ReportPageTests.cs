using System.Globalization;

namespace Sae.Browser.Tests;

public sealed class ReportPageTests(SmokeRun run, Chromium chromium) : IClassFixture<SmokeRun>, IClassFixture<Chromium>
{
    [SkippableFact]
    public async Task The_report_loads_without_errors_or_requests_draws_the_papers_points_and_sorts_its_table()
    {
        chromium.Require();
        var watched = await chromium.OpenAsync(Path.Combine(run.Directory, "report.html"));
        var page = watched.Page;
        (await page.Locator("svg circle.hollow").CountAsync()).Should().BeGreaterThan(0, "the paper's SAEs are drawn as hollow markers");
        (await page.Locator("svg line.reference").CountAsync()).Should().BeGreaterThan(0, "the baselines are drawn as reference lines");
        (await page.Locator("svg line.error-bar").CountAsync()).Should().BeGreaterThan(0, "coverage and reconstruction carry their intervals");

        // The first table, sorted by L0 (its third column): ascending, then descending on a second click; empty cells last.
        var table = page.Locator("table.sortable").First;
        var header = table.Locator("th").Nth(2);
        (await header.InnerTextAsync()).Should().StartWith("L0");
        await header.ClickAsync();
        var ascending = await L0s();
        ascending.Should().BeInAscendingOrder().And.HaveCountGreaterThan(2);
        await header.ClickAsync();
        (await L0s()).Should().BeInDescendingOrder();
        (await table.Locator("tr").Last.Locator("td").Nth(2).InnerTextAsync()).Should().BeEmpty("rows without an L0 (the probe) sort last either way");
        (await page.Locator(".table-scroll").CountAsync()).Should().Be(await page.Locator("table").CountAsync(), "every table scrolls inside the page");
        (await page.Locator("a[href='features.html']").CountAsync()).Should().Be(1, "the report links its feature browser");

        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, "report.png"), FullPage = true });
        watched.Errors.Should().BeEmpty();
        watched.OutsideRequests.Should().BeEmpty();

        async Task<List<double>> L0s() =>
            [.. (await table.Locator("tr td:nth-child(3)").AllInnerTextsAsync()).Where(t => t.Length > 0).Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
    }
}

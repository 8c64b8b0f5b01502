using Microsoft.Playwright;

namespace Sae.Browser.Tests;

/// <summary>
/// The system's Chromium, driven headless through Playwright, and what a page did while it was open: console errors,
/// uncaught exceptions and every request that left the file. Chromium is found at <c>CHROMIUM_PATH</c>, else where
/// Debian's <c>chromium</c> package puts it. Where there is none, the tests are skipped with the reason, unless
/// <c>SAE_BROWSER_TESTS=require</c> (set by CI, which installs it) makes that a failure.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private IPlaywright? _playwright;

    /// <summary>The browser, or null where none is installed.</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>The executable used, or null.</summary>
    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } set ? set : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test where there is no Chromium and CI does not require one; fails where it does.</summary>
    public void Require()
    {
        if (Browser is not null) return;
        const string why = "no Chromium: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH";
        if (Environment.GetEnvironmentVariable("SAE_BROWSER_TESTS") == "require") throw new InvalidOperationException(why + "; SAE_BROWSER_TESTS=require asks for the browser tests.");
        Skip.If(true, why);
    }

    /// <summary>Where screenshots go: <c>SAE_SCREENSHOTS</c>, else <c>artifacts/screenshots</c> under the current folder.</summary>
    public static string ScreenshotDirectory =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("SAE_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine("artifacts", "screenshots")).FullName;

    /// <summary>Opens <paramref name="file"/> in a new page that records its errors and outside requests.</summary>
    public async Task<WatchedPage> OpenAsync(string file)
    {
        var page = await Browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(10_000);
        var watched = new WatchedPage(page);
        page.Console += (_, m) => { if (m.Type == "error") watched.Errors.Add(m.Text); };
        page.PageError += (_, e) => watched.Errors.Add(e);
        page.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) watched.OutsideRequests.Add(r.Url); };
        await page.GotoAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri);
        return watched;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (ExecutablePath is not { } path) return;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page and what it did.</summary>
    /// <param name="Page">The page.</param>
    public sealed record WatchedPage(IPage Page)
    {
        /// <summary>Console errors and uncaught exceptions.</summary>
        public List<string> Errors { get; } = [];

        /// <summary>Requests for anything but the file itself and data: URLs.</summary>
        public List<string> OutsideRequests { get; } = [];
    }
}

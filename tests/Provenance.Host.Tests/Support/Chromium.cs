using Microsoft.Playwright;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// Headless Debian Chromium driven by Playwright for .NET, launched once per test class. Playwright's Node driver
/// ships inside the NuGet package (copied to <c>.playwright/</c> by the build); no browser is downloaded: the
/// system's <c>/usr/bin/chromium</c> is used, with the flags that keep it off the network.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>
    /// Where screenshots go: <c>artifacts/screenshots</c> under the repository, or <c>artifacts/screenshots-postgres</c> for
    /// the PostgreSQL pass, which test.sh runs beside the SQLite one (the same pages must not be written by both at once).
    /// </summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(RepositoryPaths.Root, "artifacts", TestStorage.IsPostgres ? "screenshots-postgres" : "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        var driver = Path.Combine(AppContext.BaseDirectory, ".playwright", "node");
        Assert.True(Directory.Exists(driver), $"Playwright's Node driver is missing under {driver}; it comes with the Microsoft.Playwright package at build time");
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing; eng/install-deps.sh installs the Debian chromium package");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A phone-sized context (390×844, touch), sending <paramref name="acceptLanguage"/>, in the time zone <paramref name="timezoneId"/> (null: the machine's).</summary>
    public Task<IBrowserContext> PhoneAsync(string acceptLanguage = "en", Geolocation? position = null, string? timezoneId = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            TimezoneId = timezoneId,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
            Geolocation = position,
        });

    /// <summary>A desktop-sized context (1280×900).</summary>
    public Task<IBrowserContext> DesktopAsync(string acceptLanguage = "en", string? timezoneId = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            TimezoneId = timezoneId,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
        });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>The computed background colour of <paramref name="selector"/>, as Chromium reports it (<c>rgb(r, g, b)</c>).</summary>
    public static Task<string> BackgroundAsync(IPage page, string selector) =>
        page.Locator(selector).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    /// <summary><c>#rrggbb</c> as Chromium's computed-style <c>rgb(r, g, b)</c>.</summary>
    public static string Rgb(string hex) =>
        $"rgb({Convert.ToInt32(hex[1..3], 16)}, {Convert.ToInt32(hex[3..5], 16)}, {Convert.ToInt32(hex[5..7], 16)})";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

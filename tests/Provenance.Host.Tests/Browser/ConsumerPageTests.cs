using Microsoft.Playwright;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Browser;

/// <summary>The consumer page as served by a running node, for codes sealed by the real gateway simulator, in a phone browser.</summary>
public sealed partial class ConsumerPageTests(SealedNode sealedNode, Chromium chromium) : IClassFixture<SealedNode>, IClassFixture<Chromium>
{
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // which code, Accept-Language, lang attribute, verdict, title
        { "sealed", "en-GB,en;q=0.9", "en", "authentic", "Genuine" },
        { "sealed", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", "authentic", "正品" },
        { "not_sealed", "en", "en", "not_sealed", "Not sealed" },
        { "not_sealed", "zh-Hans", "zh-CN", "not_sealed", "未封口" },
        { "counterfeit", "de-DE", "en", "counterfeit", "Counterfeit" },
        { "counterfeit", "en;q=0.3,zh;q=0.8", "zh-CN", "counterfeit", "假冒" },
        { "unknown", "en-US", "en", "unknown", "Unknown code" },
        { "unknown", "zh", "zh-CN", "unknown", "未知编码" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_page_at_the_digital_link_url_shows_the_verdict_in_the_browsers_language(string code, string acceptLanguage, string lang, string verdict, string title)
    {
        await using var context = await chromium.PhoneAsync(acceptLanguage);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(Url(code));

        Assert.Equal(200, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", verdict);
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Chromium.ScreenshotAsync(page, $"node-{code}-{lang}-phone");
    }

    [Fact]
    public async Task A_sealed_bottle_shows_product_origin_map_ledger_proof_and_history_on_phone_and_desktop()
    {
        await using var phone = await chromium.PhoneAsync("en");
        var page = await phone.NewPageAsync();
        await page.GotoAsync(sealedNode.Sealed[1]);
        await page.ReloadAsync();

        await Expect(page.Locator("#product")).ToContainTextAsync("Test Baijiu 53%");
        await Expect(page.Locator("#origin")).ToContainTextAsync("Plant One, line 1");
        await Expect(page.Locator("#origin")).ToContainTextAsync("BeiDou");
        await Expect(page.Locator("#origin-map circle.geofence")).ToHaveCountAsync(1);
        await Expect(page.Locator("#origin-map g.fix")).ToHaveCountAsync(1);
        await Expect(page.Locator("#ledger-summary")).ToContainTextAsync("tamper-evident ledger as entry");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("embedded");
        await Expect(page.Locator("#history")).ToContainTextAsync("scanned");
        await Expect(page.Locator("#geo-button")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "node-authentic-en-phone-full");

        await using var desktop = await chromium.DesktopAsync("zh-CN");
        var wide = await desktop.NewPageAsync();
        await wide.GotoAsync(sealedNode.Sealed[1]);
        await Expect(wide.Locator("#origin")).ToContainTextAsync("北斗");
        await Chromium.ScreenshotAsync(wide, "node-authentic-zh-desktop");
    }

    [Fact]
    public async Task Sharing_the_location_re_asks_the_same_url_with_the_position_and_swaps_in_the_servers_verdict_panel()
    {
        await using var context = await chromium.PhoneAsync("zh-CN", new Geolocation { Latitude = 31.2304f, Longitude = 121.4737f, Accuracy = 35 });
        await context.GrantPermissionsAsync(["geolocation"], new BrowserContextGrantPermissionsOptions { Origin = $"http://{sealedNode.Node.Authority}" });
        var page = await context.NewPageAsync();
        var url = sealedNode.Sealed[2];
        await page.GotoAsync(url);
        await Expect(page.Locator("#verdict")).Not.ToHaveAttributeAsync("data-source", "location");

        var request = await page.RunAndWaitForRequestAsync(
            () => page.Locator("#geo-button").ClickAsync(),
            r => r.Url.Contains("lat=", StringComparison.Ordinal));

        var query = new Uri(request.Url).Query;
        Assert.Contains("lat=31.23040", query, StringComparison.Ordinal);
        Assert.Contains("lon=121.47370", query, StringComparison.Ordinal);
        Assert.Contains("acc=35", query, StringComparison.Ordinal);
        Assert.Contains(new Uri(url).Query.TrimStart('?'), query, StringComparison.Ordinal);
        Assert.Equal("text/html", (await request.AllHeadersAsync())["accept"]);
        var response = await request.ResponseAsync();
        var verdict = System.Text.RegularExpressions.Regex.Match(await response!.TextAsync(), "data-verdict=\"([a-z_]+)\"").Groups[1].Value;
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-source", "location");
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", verdict!);
        await Expect(page.Locator("#geo-status")).ToHaveTextAsync("已结合您的位置重新查验。");
        await Chromium.ScreenshotAsync(page, "node-geolocation-zh-phone");
    }

    [Fact]
    public async Task Without_javascript_the_page_still_says_everything_and_hides_the_location_button()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(sealedNode.Sealed[3]);

        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync("Genuine");
        await Expect(page.Locator("#origin-map")).ToBeVisibleAsync();
        await Expect(page.Locator("#geo-button")).ToBeHiddenAsync();
    }

    private string Url(string code) => code switch
    {
        "sealed" => sealedNode.Sealed[0],
        "not_sealed" => sealedNode.NotSealed,
        "counterfeit" => sealedNode.Counterfeit,
        "unknown" => sealedNode.Unknown,
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}

using Provenance.Api.Pages.Text;
using Provenance.Host.Tests.Browser;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Analytics;

/// <summary>Issue 22, analytics on the producer dashboard, in headless Chromium, in English and Simplified Chinese.</summary>
[Collection(AnalyticsNodeFixture.Collection)]
public sealed class AnalyticsDashboardTests(AnalyticsNodeFixture f, Chromium chromium) : IClassFixture<Chromium>
{
    [Theory]
    [InlineData("en", "Asia/Shanghai", "Around 23.3°N 113.3°E: 12 scans", "Guangzhou Wine Trading", "Receipt that does not match a shipment × 1")]
    [InlineData("zh-CN", "Asia/Shanghai", "北纬 23.3° 东经 113.3° 附近：12 次扫码", "Guangzhou Wine Trading", "收货与发货不符 × 1")]
    public async Task The_dashboard_draws_the_heat_map_and_ranks_dealers_in_the_viewers_language(string language, string zone, string place, string dealer, string kinds)
    {
        await using var context = await chromium.DesktopAsync(language, zone);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://{f.Node.Authority}/dashboard");
        await page.FillAsync("#key", f.ProducerKey);
        await page.ClickAsync("button[type=submit]");

        var cells = page.Locator("#heat-map svg rect.cell");
        await Expect(cells).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(cells.First).ToHaveAttributeAsync("data-scans", AnalyticsNodeFixture.GuangzhouScans.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var top = page.Locator("#heat-top li");
        await Expect(top).ToHaveCountAsync(1);
        await Expect(top.First).ToHaveTextAsync(place);
        await Expect(page.Locator("#heat-note")).ToContainTextAsync(AnalyticsNodeFixture.ChengduScans.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var row = page.Locator($"#dealer-table tr[data-dealer='{AnalyticsNodeFixture.Owner}']");
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(dealer);
        await Expect(row.Locator("td.total")).ToHaveTextAsync("1");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(kinds);
        await Expect(page.Locator("#campaigns-note")).ToHaveTextAsync(language == "en" ? "No reward campaigns yet." : "尚无扫码红包活动。");

        await PageChecks.AssertPlainWordsAsync(page, language == "en" ? PageText.English : PageText.SimplifiedChinese, zone);
        Assert.DoesNotContain("receipt_mismatch", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, $"dashboard-analytics-{language}");
    }
}

using Provenance.Api.Pages.Text;
using Provenance.Host.Tests.Browser;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.InnerCodes;

/// <summary>The consumer pages of an opened bottle, in headless Chromium, in English and Simplified Chinese: local dates, no internal codes.</summary>
[Collection(InnerCodeCollection.Name)]
public sealed class InnerCodePageTests(InnerCodeNode n, Chromium chromium) : IClassFixture<Chromium>
{
    private const string Zone = "Asia/Shanghai";

    [Theory]
    [InlineData("en", 6, "Already opened", "This bottle's seal was opened on")]
    [InlineData("zh-CN,zh;q=0.9", 7, "已开封", "此瓶封口已于")]
    public async Task The_outer_code_of_a_bottle_opened_by_its_inner_code_shows_opened_on_the_local_date(string language, int bottle, string title, string sentence)
    {
        var opened = await n.ScanAsync(n.Inner[bottle]);
        await using var context = await chromium.PhoneAsync(language, timezoneId: Zone);
        var page = await context.NewPageAsync();

        await page.GotoAsync(n.Outer[bottle]);

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "opened");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(sentence);
        var at = await page.Locator("#verdict-sentence time").GetAttributeAsync("datetime");
        var openedAt = opened.GetProperty("innerCode").GetProperty("openedAt").GetDateTimeOffset();
        Assert.Equal(openedAt.AddTicks(-(openedAt.Ticks % TimeSpan.TicksPerSecond)), DateTimeOffset.Parse(at!, System.Globalization.CultureInfo.InvariantCulture));
        await PageChecks.AssertPlainWordsAsync(page, language == "en" ? PageText.English : PageText.SimplifiedChinese, Zone);
        await Chromium.ScreenshotAsync(page, $"inner-opened-outer-{language[..2]}-phone");
    }

    [Theory]
    [InlineData("en", 8, "already scanned on", "near 23.13, 113.26")]
    [InlineData("zh-CN", 9, "已于", "23.13, 113.26 附近")]
    public async Task A_second_scan_of_an_inner_code_says_when_and_near_where_it_was_first_scanned(string language, int bottle, string when, string where)
    {
        await n.ScanAsync(n.Inner[bottle], "198.51.100.40", 23.1291, 113.2644);
        await using var context = await chromium.PhoneAsync(language, timezoneId: Zone);
        var page = await context.NewPageAsync();

        await page.GotoAsync(n.Inner[bottle]);

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "opened");
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(when);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(where);
        await PageChecks.AssertPlainWordsAsync(page, language == "en" ? PageText.English : PageText.SimplifiedChinese, Zone);
        await Chromium.ScreenshotAsync(page, $"inner-second-scan-{language[..2]}-phone");
    }

    [Theory]
    [InlineData("en", 10, "Suspected refill", "yet it was later handled in trade")]
    [InlineData("zh-CN", 11, "疑似回收灌装", "之后却又作为未开封商品在流通中出现")]
    public async Task A_bottle_back_in_trade_after_its_opening_shows_a_suspected_refill(string language, int bottle, string title, string sentence)
    {
        var distributor = $"refill-page-{bottle}";
        var (_, key) = await n.CreateDistributorAsync(distributor);
        await n.ScanAsync(n.Inner[bottle]);
        using (var receipt = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/receipts", key, content: new StringContent(n.Outer[bottle])))
        {
            receipt.EnsureSuccessStatusCode();
        }

        await ApiCalls.WaitForScansAsync(n.Node, n.ProducerKey, n.Outer[bottle], 2);
        await using var context = await chromium.PhoneAsync(language, timezoneId: Zone);
        var page = await context.NewPageAsync();

        await page.GotoAsync(n.Outer[bottle]);

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "suspect_refill");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(sentence);
        await PageChecks.AssertPlainWordsAsync(page, language == "en" ? PageText.English : PageText.SimplifiedChinese, Zone);
    }
}

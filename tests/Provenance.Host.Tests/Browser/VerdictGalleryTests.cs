using Provenance.Api.Pages.Text;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Browser;

/// <summary>
/// Every verdict a node gives, produced through public interfaces, on a phone and a desktop in English and Chinese,
/// each in a time zone of its own: the page shows no reason code, no verdict wire name, no ledger engine, no "UTC"
/// and no "none", and every time is in the browser's zone. The screenshots land in artifacts/screenshots/gallery-*.png.
/// </summary>
public sealed class VerdictGalleryTests(VerdictGalleryFixture gallery, Chromium chromium) : IClassFixture<VerdictGalleryFixture>, IClassFixture<Chromium>
{
    public static TheoryData<string> Verdicts => new()
    {
        "authentic", "authentic_unconfirmed", "suspect_origin", "counterfeit", "unknown", "not_sealed", "recalled", "void", "opened", "suspect_clone", "diverted",
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public async Task Each_verdict_speaks_plain_words_with_local_times_on_phone_and_desktop_in_both_languages(string name)
    {
        var (url, verdict) = gallery.Codes[name];
        foreach (var (device, language, zone) in new[] { ("phone", "en", "America/New_York"), ("desktop", "en", "Europe/London"), ("phone", "zh-CN", "Asia/Shanghai"), ("desktop", "zh-CN", "Asia/Tokyo") })
        {
            var text = language == "en" ? PageText.English : PageText.SimplifiedChinese;
            await using var context = device == "phone" ? await chromium.PhoneAsync(language, timezoneId: zone) : await chromium.DesktopAsync(language, zone);
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);

            await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", verdict);
            await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(text[$"verdict.{verdict}.title"]);
            await Expect(page.Locator("#verdict-sentence")).Not.ToBeEmptyAsync();
            await Expect(page.Locator("body")).Not.ToContainTextAsync("polygon-");
            await Expect(page.Locator("body")).Not.ToContainTextAsync(" 1 times");
            await PageChecks.AssertPlainWordsAsync(page, text, zone);
            var fonts = await page.Locator("body").EvaluateAsync<string>("b => getComputedStyle(b).fontFamily");
            Assert.StartsWith(language == "en" ? "system-ui" : "\"PingFang SC\"", fonts, StringComparison.Ordinal);
            Assert.Contains("\"Noto Sans CJK SC\"", fonts, StringComparison.Ordinal);
            Assert.Contains("\"Microsoft YaHei\"", fonts, StringComparison.Ordinal);
            await Chromium.ScreenshotAsync(page, $"gallery-{name}-{device}-{language}");
        }
    }
}

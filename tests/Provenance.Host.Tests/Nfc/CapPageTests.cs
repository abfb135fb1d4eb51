using Provenance.Core.Nfc;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Nfc;

/// <summary>The consumer page a phone opens when it taps an NFC cap, in headless Chromium, in English and Simplified Chinese.</summary>
[Collection(CapCollection.Name)]
public sealed class CapPageTests(CapNode caps, Chromium chromium) : IClassFixture<Chromium>
{
    [Theory]
    [InlineData("en", 8, "Genuine", "intact: the tamper loop has never been broken", "its cap has never been opened")]
    [InlineData("zh-CN,zh;q=0.9", 9, "正品", "完好：防拆回路从未断开", "瓶盖从未被打开")]
    public async Task A_tapped_closed_cap_shows_genuine_and_the_intact_cap(string language, int chip, string title, string cap, string sentence)
    {
        await using var context = await chromium.PhoneAsync(language);
        var page = await context.NewPageAsync();

        await page.GotoAsync(caps.TapUrl(chip, 1));

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(sentence);
        await Expect(page.Locator("#verdict dl.details")).ToContainTextAsync(cap);
        await Expect(page.Locator("#origin")).ToBeVisibleAsync();
        await Expect(page.Locator("#geo-button")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, $"nfc-sealed-{language[..2]}-phone");
    }

    [Theory]
    [InlineData("en", 10, "Already opened", "open: the tamper loop is broken")]
    [InlineData("zh-CN", 11, "已开封", "已打开：防拆回路已断开")]
    public async Task A_tapped_open_cap_shows_opened_and_the_broken_loop(string language, int chip, string title, string cap)
    {
        await using var context = await chromium.PhoneAsync(language);
        var page = await context.NewPageAsync();

        await page.GotoAsync(caps.TapUrl(chip, 1, TamperStatus.Open));

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "opened");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict dl.details")).ToContainTextAsync(cap);
        await Chromium.ScreenshotAsync(page, $"nfc-open-{language[..2]}-phone");
    }

    [Theory]
    [InlineData("en", 12, "Suspicious copy", "tap the cap again")]
    [InlineData("zh-CN", 13, "疑似复制码", "请用手机再次触碰瓶盖")]
    public async Task Reloading_a_tap_page_says_the_message_was_used_and_to_tap_again(string language, int chip, string title, string sentence)
    {
        await using var context = await chromium.PhoneAsync(language);
        var page = await context.NewPageAsync();
        await page.GotoAsync(caps.TapUrl(chip, 1));
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "authentic");

        await page.ReloadAsync();

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "suspect_clone");
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(sentence);
        await Chromium.ScreenshotAsync(page, $"nfc-replayed-{language[..2]}-phone");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Api;
using Provenance.Api.Pages;
using Provenance.Api.Pages.Text;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Browser;

/// <summary>
/// The consumer page renderer for every verdict, in English and Simplified Chinese, including the verdicts the
/// verdict engine does not produce yet: rendered from scan results, loaded into Chromium, checked as a person sees it.
/// </summary>
public sealed class ConsumerPageRendererTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly Site Plant = new("plant-1", "Plant One", new GeoPoint(27.8611, 106.3720), 500, null);

    public static TheoryData<string, string, string, string, string, string> Verdicts => new()
    {
        // verdict, language, expected title, expected words in the sentence, colour, icon
        { "authentic", "en", "Genuine", "Sealed at Plant One, line A, on 2 Apr 2025, 11:04 (UTC+8). The position was confirmed by 18 satellites, including 9 BeiDou.", "#1b7f3b", "✔" },
        { "authentic", "zh-CN", "正品", "于 2025年4月2日 11:04（UTC+8） 在Plant One A 号线封口。封口位置经 18 颗卫星确认，其中北斗卫星 9 颗。", "#1b7f3b", "✔" },
        { "counterfeit", "en", "Counterfeit", "not issued by the producer", "#b3261e", "✖" },
        { "counterfeit", "zh-CN", "假冒", "并非生产商发放", "#b3261e", "✖" },
        { "unknown", "en", "Unknown code", "never issued", "#9a5b00", "?" },
        { "unknown", "zh-CN", "未知编码", "从未发放", "#9a5b00", "?" },
        { "not_sealed", "en", "Not sealed", "never applied at a bottling line", "#9a5b00", "!" },
        { "not_sealed", "zh-CN", "未封口", "从未在灌装线上使用", "#9a5b00", "!" },
        { "recalled", "en", "Recalled", "recalled this bottle", "#b3261e", "⛔" },
        { "recalled", "zh-CN", "已召回", "生产商已召回此瓶", "#b3261e", "⛔" },
        { "void", "en", "Void", "voided this code", "#b3261e", "⊘" },
        { "void", "zh-CN", "已作废", "生产商已作废此码", "#b3261e", "⊘" },
        { "opened", "en", "Already opened", "was opened on 1 May 2025, 03:45 (UTC+8)", "#9a5b00", "◔" },
        { "opened", "zh-CN", "已开封", "已于 2025年5月1日 03:45（UTC+8） 被打开", "#9a5b00", "◔" },
        { "suspect_clone", "en", "Suspicious copy", "scanned 7 times, first on 1 Apr 2025, 18:00 (UTC+8) in Chengdu", "#c0360c", "⚠" },
        { "suspect_clone", "zh-CN", "疑似复制码", "已被扫描 7 次，首次扫描于 2025年4月1日 18:00（UTC+8），地点 Chengdu", "#c0360c", "⚠" },
        { "diverted", "en", "Genuine, sold outside its market", "shipped for sale in another region", "#9a5b00", "⇄" },
        { "diverted", "zh-CN", "正品，但在指定市场外销售", "原定销往其他地区", "#9a5b00", "⇄" },
        { "suspect_origin", "en", "Genuine code, doubtful origin", "sealed 50 km from Plant One, outside the plant", "#c0360c", "⚠" },
        { "suspect_origin", "zh-CN", "正品码，产地存疑", "在距Plant One 50 公里的厂区以外封口", "#c0360c", "⚠" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public async Task Each_verdict_shows_its_colour_icon_title_and_sentence_in_the_requested_language(string verdict, string language, string title, string sentence, string colour, string icon)
    {
        var text = language == "en" ? PageText.English : PageText.SimplifiedChinese;
        var html = ScanPage.Render(Sample(verdict), text, Plant);
        await using var context = await chromium.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", verdict);
        await Expect(page.Locator("#verdict-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(sentence);
        await Expect(page.Locator("#verdict .icon")).ToHaveTextAsync(icon);
        Assert.Equal(Chromium.Rgb(colour), await Chromium.BackgroundAsync(page, "#verdict"));
        await Chromium.ScreenshotAsync(page, $"render-{verdict}-{language}");
    }

    [Fact]
    public async Task Optional_facts_are_shown_when_present_and_translated()
    {
        var scan = Sample("diverted");
        var html = ScanPage.Render(scan, PageText.SimplifiedChinese);
        await using var context = await chromium.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        var details = page.Locator("#verdict");
        await Expect(details).ToContainTextAsync("East Coast Wines，区域 CN-31");
        await Expect(details).ToContainTextAsync("80 %");
        await Expect(details).ToContainTextAsync("大致位置，来自您的网络");
        await Expect(details).ToContainTextAsync("Scanned in Shanghai; allocated to Zhejiang");
    }

    [Fact]
    public async Task A_scan_with_malformed_optional_fields_still_renders_its_verdict_and_neither_unknown_codes_nor_markup_reach_the_page()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(Result("opened")))!.AsObject();
        node["openedAt"] = "not a date";
        node["history"] = "seven";
        node["reasons"] = new JsonArray(42, null, "<img src=x onerror=alert(1)>", "seal_opened", new JsonObject { ["message"] = "<b>partner</b> note" });
        node["recall"] = new JsonArray();
        node["shipment"] = 3;
        node["confidence"] = "<b>sure</b>";
        var html = ScanPage.Render(JsonSerializer.SerializeToElement(node), PageText.English);
        await using var context = await chromium.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);

        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "opened");
        await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync("has already been opened");
        await Expect(page.Locator("#verdict-checks")).ToContainTextAsync("Its seal was reported opened.");
        await Expect(page.Locator("#verdict-checks")).ToContainTextAsync("<b>partner</b> note");
        await Expect(page.Locator("#verdict")).Not.ToContainTextAsync("<img");
        await Expect(page.Locator("#verdict")).Not.ToContainTextAsync("sure");
        Assert.Equal(0, await page.Locator("#verdict img, #verdict b").CountAsync());
    }

    [Fact]
    public async Task The_origin_map_draws_the_geofence_the_sealing_fix_and_a_scale_bar_without_any_remote_resource()
    {
        var html = ScanPage.Render(Sample("authentic"), PageText.English, Plant);
        await using var context = await chromium.PhoneAsync();
        var page = await context.NewPageAsync();
        var remote = new List<string>();
        page.Request += (_, request) => remote.Add(request.Url);
        await page.SetContentAsync(html);

        var map = page.Locator("#origin-map");
        await Expect(map).ToBeVisibleAsync();
        var radius = double.Parse(await map.Locator("circle.geofence").GetAttributeAsync("r") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(radius, 40, 100);
        await Expect(map.Locator("g.fix circle")).ToHaveCountAsync(1);
        await Expect(map.Locator("#scale-bar text")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(1|2|5)(0|00)? m$"));
        Assert.DoesNotContain(remote, url => url.StartsWith("http", StringComparison.Ordinal));
    }

    /// <summary>A scan result of <paramref name="verdict"/> with the optional fields that verdict is expected to carry.</summary>
    internal static JsonElement Sample(string verdict)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(Result(verdict)))!.AsObject();
        switch (verdict)
        {
            case "opened":
                node["openedAt"] = "2025-04-30T19:45:00Z";
                break;
            case "suspect_clone":
                node["history"] = new JsonObject { ["count"] = 7, ["firstAt"] = "2025-04-01T10:00:00Z", ["firstPlace"] = "Chengdu" };
                node["reasons"] = new JsonArray("too many distinct scanners");
                break;
            case "diverted":
                node["shipment"] = new JsonObject { ["distributorName"] = "East Coast Wines", ["region"] = "CN-31" };
                node["confidence"] = 0.8;
                node["locationSource"] = "ip";
                node["reasons"] = new JsonArray(new JsonObject { ["code"] = "region_mismatch", ["message"] = "Scanned in Shanghai; allocated to Zhejiang" });
                break;
            case "suspect_origin":
                node["origin"]!["attestation"] = new JsonObject
                {
                    ["attested"] = false, ["failures"] = new JsonArray("outside_geofence"), ["lat"] = 28.18, ["lon"] = 106.73, ["distanceM"] = 50_012, ["insideGeofence"] = false,
                };
                node["reasons"] = new JsonArray("far_outside_geofence", "origin_not_attested", "outside_geofence");
                break;
            case "recalled":
                node["recall"] = new JsonObject { ["reason"] = "Lot L7 withdrawn", ["at"] = "2025-04-20T00:00:00Z" };
                break;
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static ScanResult Result(string verdict)
    {
        var sealedVerdict = verdict is not ("counterfeit" or "unknown" or "not_sealed");
        return new ScanResult
        {
            Verdict = verdict,
            Message = $"engine message for {verdict}",
            ScannedAt = new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero),
            Code = verdict == "counterfeit" ? null : new ScannedCode("09506000134352", "7KQ2M9XW4RTA", "L1"),
            Product = verdict is "counterfeit" or "unknown" ? null : new ProductInfo("09506000134352", "Test Baijiu 53%", "Provenance Distillery"),
            Origin = sealedVerdict
                ? new OriginInfo("plant-1", "Plant One", "gw-1", "A", new DateTimeOffset(2025, 4, 2, 3, 4, 0, TimeSpan.Zero), "cap", new Core.Origin.OriginAttestation
                {
                    Attested = true, Failures = [], Latitude = 27.8620, Longitude = 106.3731, DistanceMeters = 150, Hdop = 0.8, SatellitesUsed = 18, BeiDouSatellitesUsed = 9,
                })
                : null,
            Ledger = sealedVerdict ? new LedgerProof("embedded", "evt-1", 12, "ab12") : null,
        };
    }
}

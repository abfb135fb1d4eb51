using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Provenance.Api.Pages.Text;
using Provenance.Core.Signing;
using Provenance.Host.Tests.Proofs;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Browser;

/// <summary>
/// The consumer page checks the bottle's proof bundle in the browser (WebCrypto) and says "checked on this phone" only
/// when every part held. A server that hands out a tampered bundle is played by a Playwright route that rewrites the
/// real <c>/proof</c> answer on its way to the page (nothing in the product can serve a tampered bundle).
/// </summary>
public sealed partial class ConsumerPageTests
{
    public static TheoryData<string, string> Tamperings => new()
    {
        // what the server changes, the part the page must name
        { "seal-signature", "seal" },
        { "gateway-key", "gatewayKey" },
        { "gnss-signature", "gnss" },
        { "merkle-path", "merkle" },
        { "block-signature", "block" },
        { "node-key-and-resigned-block", "block" },
        { "another-bottles-bundle", "record" },
    };

    [Theory]
    [InlineData("en", "Checked on this phone", "en")]
    [InlineData("zh-CN,zh;q=0.9", "已在本机查验", "zh-CN")]
    public async Task The_honest_bundle_is_checked_on_this_phone_in_the_page_language(string acceptLanguage, string verified, string lang)
    {
        await using var context = await chromium.PhoneAsync(acceptLanguage, timezoneId: "Asia/Shanghai");
        var page = await context.NewPageAsync();
        var proofs = 0;
        page.Response += (_, r) => proofs += new Uri(r.Url).AbsolutePath.EndsWith("/proof", StringComparison.Ordinal) && r.Status == 200 ? 1 : 0;
        await page.GotoAsync(sealedNode.Sealed[4]);

        await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "verified");
        await Expect(page.Locator("#proof-status")).ToContainTextAsync(verified);
        await Expect(page.Locator("#proof-parts li[data-state=verified]")).ToHaveCountAsync(6);
        await Expect(page.Locator("#proof-anchor")).ToBeVisibleAsync();
        Assert.Equal(1, proofs);
        await PageChecks.AssertPlainWordsAsync(page, lang == "en" ? PageText.English : PageText.SimplifiedChinese, "Asia/Shanghai");
        await Chromium.ScreenshotAsync(page, $"proof-checked-{lang}-phone");
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task A_bundle_tampered_by_the_server_is_caught_in_the_browser_and_the_part_is_named(string tampering, string part)
    {
        await using var context = await chromium.PhoneAsync("en");
        var page = await context.NewPageAsync();
        await page.RouteAsync(IsProof, async route =>
        {
            var source = tampering == "another-bottles-bundle" ? ProofUrl(sealedNode.Sealed[5]) : route.Request.Url;
            var response = await route.FetchAsync(new RouteFetchOptions { Url = source });
            var bundle = JsonNode.Parse(await response.TextAsync())!.AsObject();
            Tamper(tampering, bundle);
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = bundle.ToJsonString() });
        });
        await page.GotoAsync(sealedNode.Sealed[4]);

        await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "failed");
        Assert.Contains(part, (await page.Locator("#proof-check").GetAttributeAsync("data-failed"))!.Split(' '));
        await Expect(page.Locator($"#proof-parts li[data-part={part}]")).ToHaveAttributeAsync("data-state", "failed");
        await Expect(page.Locator("#proof-status")).ToContainTextAsync(PageText.English[$"proof.part.{part}"]);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Checked on this phone");
        if (tampering == "block-signature")
        {
            await Chromium.ScreenshotAsync(page, "proof-tampered-en-phone");
        }
    }

    [Fact]
    public async Task A_bundle_whose_ledger_part_is_pending_says_so_and_never_checked()
    {
        await using var context = await chromium.PhoneAsync("zh-CN");
        var page = await context.NewPageAsync();
        await page.RouteAsync(IsProof, async route =>
        {
            var response = await route.FetchAsync();
            var bundle = JsonNode.Parse(await response.TextAsync())!.AsObject();
            bundle["ledger"] = new JsonObject { ["engine"] = "embedded", ["status"] = "pending", ["note"] = "not in a block yet" };
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = bundle.ToJsonString() });
        });
        await page.GotoAsync(sealedNode.Sealed[4]);

        await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "pending");
        await Expect(page.Locator("#proof-parts li[data-state=pending]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#proof-status")).ToContainTextAsync(PageText.SimplifiedChinese["proof.part.block"]);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("已在本机查验");
        await Chromium.ScreenshotAsync(page, "proof-pending-zh-CN-phone");
    }

    [Fact]
    public async Task A_bundle_on_the_fabric_ledger_says_its_ledger_parts_are_not_checked_on_this_phone_and_never_claims_them()
    {
        await using var context = await chromium.PhoneAsync("en");
        var page = await context.NewPageAsync();
        await page.RouteAsync(IsProof, async route =>
        {
            var response = await route.FetchAsync();
            var bundle = JsonNode.Parse(await response.TextAsync())!.AsObject();
            bundle["ledger"] = new JsonObject
            {
                ["engine"] = "fabric",
                ["status"] = "included",
                ["transactionId"] = new string('a', 64),
                ["blockNumber"] = 7,
                ["fabric"] = new JsonObject { ["channel"] = "provenance", ["transactionIndex"] = 0, ["envelope"] = "00", ["blockHeader"] = "00", ["otherEnvelopes"] = new JsonArray(), ["blockSignatures"] = "00", ["transactionsFilter"] = "00" },
            };
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = bundle.ToJsonString() });
        });
        await page.GotoAsync(sealedNode.Sealed[4]);

        await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "unchecked");
        await Expect(page.Locator("#proof-parts li[data-state=unchecked]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#proof-parts li[data-state=verified]")).ToHaveCountAsync(4);
        await Expect(page.Locator("#proof-status")).ToContainTextAsync(PageText.English["proof.part.merkle"]);
        await Expect(page.Locator("#proof-status")).ToContainTextAsync("Hyperledger Fabric");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Checked on this phone");
    }

    private static bool IsProof(string url) => new Uri(url).AbsolutePath.EndsWith("/proof", StringComparison.Ordinal);

    private static string ProofUrl(string link)
    {
        var uri = new Uri(link);
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}/proof{uri.Query}";
    }

    private static void Tamper(string tampering, JsonObject b)
    {
        switch (tampering)
        {
            case "seal-signature":
                b["seal"]!["message"] = BundleTampering.FlipSignature(b["seal"]!["message"]!.GetValue<string>());
                break;
            case "gateway-key":
                using (var other = GatewayKeys.Create())
                {
                    b["gateway"]!["publicKeyPem"] = GatewayKeys.ExportPublicKeyPem(other);
                    b["gateway"]!["keyFingerprint"] = GatewayKeys.Fingerprint(other);
                }

                break;
            case "gnss-signature":
                var messages = b["origin"]!["gnssMessages"]!.AsArray();
                Assert.NotEmpty(messages);
                messages[0] = BundleTampering.FlipSignature(messages[0]!.GetValue<string>());
                break;
            case "merkle-path":
                // One more step up the tree: a path that no longer ends at the block's root.
                b["ledger"]!["merklePath"] = b["ledger"]!["merklePath"]!.GetValue<string>() + "01" + new string('0', 64);
                break;
            case "block-signature":
                b["ledger"]!["blockSignature"] = BundleTampering.FlipHex(b["ledger"]!["blockSignature"]!.GetValue<string>(), 10);
                break;
            case "node-key-and-resigned-block":
                using (var node = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    var header = Convert.FromHexString(b["ledger"]!["blockHeader"]!.GetValue<string>());
                    b["ledger"]!["blockSignature"] = Convert.ToHexStringLower(node.SignData(header, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
                    b["ledger"]!["nodePublicKeyPem"] = node.ExportSubjectPublicKeyInfoPem();
                }

                break;
            case "another-bottles-bundle":
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }
    }
}

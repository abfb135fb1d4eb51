using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Provenance.Api.Pages.Text;
using Provenance.FabricNetwork.Tests.Support;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.FabricNetwork.Tests;

/// <summary>
/// The consumer page of a bottle recorded on the real Fabric network checks the bundle's Fabric parts in headless
/// Chromium (WebCrypto) against the MSP CA certificates the node puts on the page (<c>Ledger:Fabric:MspPath</c>). A
/// server that tampers with the bundle is played by a Playwright route rewriting the real <c>/proof</c> answer.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class FabricConsumerPageTests(LocalFabricNetwork network, Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly string[] FabricParts =
        ["fabric-envelope", "fabric-creator-signature", "fabric-endorsements", "fabric-validation-code", "fabric-data-hash", "fabric-orderer-signature", "fabric-record"];

    [FabricFact]
    public async Task A_fabric_bottle_is_checked_on_this_phone_and_each_tampered_fabric_part_is_caught_and_named()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-page", 2);
        await node.StartAsync(true, $"--Ledger:Fabric:MspPath={network.Organizations}");
        await node.SealAsync([node.Urls[0]]);
        await node.WaitForLedgerAsync();
        await node.SealAsync([node.Urls[1]]);
        await node.WaitForLedgerAsync();

        foreach (var (language, verified) in new[] { ("en", "Checked on this phone"), ("zh-CN,zh;q=0.9", "已在本机查验") })
        {
            var page = await OpenAsync(node.Urls[0], language, null);
            await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "verified");
            await Expect(page.Locator("#proof-status")).ToContainTextAsync(verified);
            await Expect(page.Locator("#proof-parts li[data-state=verified]")).ToHaveCountAsync(4 + FabricParts.Length);
            foreach (var part in FabricParts)
            {
                await Expect(page.Locator($"#proof-parts li[data-part={part}]")).ToHaveAttributeAsync("data-state", "verified");
            }

            await Expect(page.Locator("#proof-fabric-anchor")).ToBeVisibleAsync();
            await Chromium.ScreenshotAsync(page, $"proof-fabric-checked-{language[..2]}-phone");
            await page.Context.CloseAsync();
        }

        var other = await ProofAsync(node, node.Urls[1]);
        foreach (var (tampering, parts, tamper) in Tampers(other))
        {
            var page = await OpenAsync(node.Urls[0], "en", tamper);
            await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "failed");
            await Expect(page.Locator($"#proof-parts li[data-part={parts[0]}]")).ToHaveAttributeAsync("data-state", "failed");
            var failed = await page.Locator("#proof-check").GetAttributeAsync("data-failed");
            var expected = string.Join(' ', FabricParts.Where(parts.Contains));
            Assert.True(failed == expected, $"{tampering}: the page named '{failed}', not '{expected}'");
            await Expect(page.Locator("#proof-status")).ToContainTextAsync(PageText.English["proof.part." + parts[0]]);
            await Expect(page.Locator("body")).Not.ToContainTextAsync("Checked on this phone");
            await page.Context.CloseAsync();
        }

        node.AssertNoUnexpectedErrors();
    }

    [FabricFact]
    public async Task A_node_configured_without_the_orderers_ca_makes_the_phone_name_the_orderer_signature_and_never_claim_it()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-pagepeers", 1);
        await node.StartAsync(true, $"--Ledger:Fabric:MspPath={Path.Combine(network.Organizations, "peerOrganizations")}");
        await node.SealAsync();
        await node.WaitForLedgerAsync();

        var page = await OpenAsync(node.Urls[0], "zh-CN,zh;q=0.9", null);
        await Expect(page.Locator("#proof-check")).ToHaveAttributeAsync("data-state", "failed");
        Assert.Equal("fabric-orderer-signature", await page.Locator("#proof-check").GetAttributeAsync("data-failed"));
        await Expect(page.Locator("#proof-status")).ToContainTextAsync(PageText.SimplifiedChinese["proof.part.fabric-orderer-signature"]);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("已在本机查验");
        await page.Context.CloseAsync();
        node.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// One change per Fabric part and exactly the parts the page must name, the targeted one first: a change inside the
    /// envelope also breaks the creator's signature over it and the block's data hash over the envelopes (nothing is
    /// re-signed), and a changed header breaks the orderer's signature over it.
    /// </summary>
    private static IEnumerable<(string Tampering, string[] Parts, Action<JsonObject> Tamper)> Tampers(JsonObject other)
    {
        string[] envelopeChanged = ["fabric-endorsements", "fabric-creator-signature", "fabric-data-hash"];
        yield return ("envelope payload byte (the proposal's input)", envelopeChanged, b =>
        {
            var eventId = b["seal"]!["eventId"]!.GetValue<string>();
            FabricBundleTampering.ReplaceInPayload(b, eventId, eventId[..^1] + (eventId[^1] == 'x' ? 'y' : 'x'));
        });
        yield return ("endorsement signature", envelopeChanged, FabricBundleTampering.FlipEndorsementSignature);
        yield return ("endorser of a foreign CA", envelopeChanged, FabricBundleTampering.EndorseByForeignCa);
        yield return ("data hash", ["fabric-data-hash", "fabric-orderer-signature"], FabricBundleTampering.ChangeDataHash);
        yield return ("orderer signature", ["fabric-orderer-signature"], FabricBundleTampering.FlipOrdererSignature);
        yield return ("validation code", ["fabric-validation-code"], FabricBundleTampering.MarkInvalid);
        yield return ("genuine evidence of another transaction (its write set)", ["fabric-record"], b =>
        {
            foreach (var field in new[] { "transactionId", "blockNumber", "fabric" })
            {
                b["ledger"]![field] = other["ledger"]![field]!.DeepClone();
            }
        });
    }

    private async Task<IPage> OpenAsync(string url, string language, Action<JsonObject>? tamper)
    {
        var context = await chromium.PhoneAsync(language, timezoneId: "Asia/Shanghai");
        var page = await context.NewPageAsync();
        if (tamper is not null)
        {
            await page.RouteAsync(u => new Uri(u).AbsolutePath.EndsWith("/proof", StringComparison.Ordinal), async route =>
            {
                var response = await route.FetchAsync();
                var bundle = JsonNode.Parse(await response.TextAsync())!.AsObject();
                tamper(bundle);
                await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = bundle.ToJsonString() });
            });
        }

        await page.GotoAsync(url);
        return page;
    }

    private static async Task<JsonObject> ProofAsync(FabricNode node, string url)
    {
        var link = new Uri(url);
        using var response = await node.Node.Http.GetAsync(link.AbsolutePath + "/proof" + link.Query);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}

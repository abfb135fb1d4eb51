using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.InnerCodes;

/// <summary>Scans of inner codes through the HTTP API of a running node whose outer codes the real gateway simulator sealed.</summary>
[Collection(InnerCodeCollection.Name)]
public sealed class InnerScanTests(InnerCodeNode n)
{
    private const double GuangzhouLat = 23.1291, GuangzhouLon = 113.2644;

    [Fact]
    public async Task The_first_inner_scan_opens_the_bottle_and_a_second_says_when_and_roughly_where_it_was_first_opened()
    {
        var first = await n.ScanAsync(n.Inner[0], "198.51.100.10", GuangzhouLat, GuangzhouLon);
        var second = await n.ScanAsync(n.Inner[0], "198.51.100.11");

        Assert.Equal("opened", first.GetProperty("verdict").GetString());
        Assert.Equal("inner_code_scanned", ApiCalls.Reasons(first)[0]);
        Assert.True(first.GetProperty("innerCode").GetProperty("firstScan").GetBoolean());
        Assert.Equal(DigitalLink.Parse(n.Outer[0]).Serial, first.GetProperty("code").GetProperty("serial").GetString());
        Assert.Equal("opened", second.GetProperty("verdict").GetString());
        Assert.Equal(["inner_code_used_before", "inner_code_scanned"], ApiCalls.Reasons(second).Take(2));
        var opening = second.GetProperty("innerCode");
        Assert.False(opening.GetProperty("firstScan").GetBoolean());
        Assert.Equal(first.GetProperty("innerCode").GetProperty("openedAt").GetDateTimeOffset(), opening.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(first.GetProperty("scannedAt").GetDateTimeOffset(), opening.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(23.13, opening.GetProperty("openedPlace").GetProperty("lat").GetDouble());
        Assert.Equal(113.26, opening.GetProperty("openedPlace").GetProperty("lon").GetDouble());
        Assert.Equal(2, opening.GetProperty("scans").GetInt32());
    }

    [Fact]
    public async Task An_outer_scan_after_the_opening_is_opened_on_that_date_and_the_opening_is_an_epcis_event()
    {
        Assert.Equal("authentic", (await n.ScanAsync(n.Outer[1])).GetProperty("verdict").GetString());
        var opened = await n.ScanAsync(n.Inner[1]);

        var outer = await n.ScanAsync(n.Outer[1], "198.51.100.20");

        Assert.Equal("opened", outer.GetProperty("verdict").GetString());
        Assert.Equal("inner_code_scanned", ApiCalls.Reasons(outer)[0]);
        Assert.Equal(opened.GetProperty("innerCode").GetProperty("openedAt").GetDateTimeOffset(), outer.GetProperty("openedAt").GetDateTimeOffset());
        Assert.False(outer.TryGetProperty("innerCode", out _));
        var link = DigitalLink.Parse(n.Outer[1]);
        var epc = $"https://id.gs1.org/01/{link.Gtin!.Value.Value}/21/{link.Serial}";
        var events = await ApiCalls.JsonAsync(n.Node, HttpMethod.Get, $"/epcis/events?perPage=100&MATCH_anyEPC={Uri.EscapeDataString(epc)}&EQ_bizStep=inspecting", n.ProducerKey);
        var opening = Assert.Single(Epcis.EpcisValidator.Events(JsonNode.Parse(events.GetRawText())!));
        Assert.EndsWith("container_open", opening!["disposition"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_inner_code_and_a_never_issued_one_get_exactly_the_answer_of_a_forged_outer_code()
    {
        var forgedInner = Forge(n.Inner[2]);
        var neverIssued = new InnerCodeAuthenticator(n.Keys).Sign(DigitalLink.ForTag(n.Node.Authority, Gtin.Parse(ProvenanceNode.Gtin), "NEVERISSUED77", "P1", "http"));
        var forgedOuter = Forge(n.Outer[2]);

        var answers = new[] { await n.ScanAsync(forgedInner), await n.ScanAsync(neverIssued), await n.ScanAsync(forgedOuter) }.Select(WithoutTime).ToList();

        Assert.Equal("counterfeit", JsonNode.Parse(answers[0])!["verdict"]!.GetValue<string>());
        Assert.Equal(answers[2], answers[0]);
        Assert.Equal(answers[2], answers[1]);
        Assert.Equal("authentic", (await n.ScanAsync(n.Outer[2])).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task An_outer_code_put_behind_the_inner_path_is_refused_and_does_not_open_the_bottle()
    {
        var moved = n.Outer[3].Replace("/01/", "/in/01/", StringComparison.Ordinal);

        var scan = await n.ScanAsync(moved);

        Assert.Equal("counterfeit", scan.GetProperty("verdict").GetString());
        Assert.Equal("authentic", (await n.ScanAsync(n.Outer[3])).GetProperty("verdict").GetString());
    }

    private static string Forge(string url) => ForgedCode.WithAlteredMac(url);

    private static string WithoutTime(JsonElement scan)
    {
        var node = JsonNode.Parse(scan.GetRawText())!.AsObject();
        node.Remove("scannedAt");
        return node.ToJsonString();
    }
}

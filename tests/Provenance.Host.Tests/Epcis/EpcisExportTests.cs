using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Epcis;

/// <summary>What leaves the repository: every document validates with GS1's schema and context and with epcis2.js.</summary>
[Collection(EpcisCollection.Name)]
public sealed class EpcisExportTests(EpcisNodeFixture fixture)
{
    [Fact]
    public async Task Every_page_of_the_query_validates_with_the_official_schema_and_context_and_epcis2_js_and_every_id_is_its_cbv_hash()
    {
        var ids = new List<string>();
        var documents = new List<string>();
        var steps = new HashSet<string>();
        var path = "/epcis/events?perPage=7";
        var pages = 0;
        while (path is not null)
        {
            var (status, body, response) = await fixture.GetAsync(path);
            Assert.Equal(200, status);
            documents.Add(body);
            var events = EpcisValidator.Events(JsonNode.Parse(body)!);
            Assert.InRange(events.Count, 1, 7);
            ids.AddRange(events.Select(e => e!["eventID"]!.GetValue<string>()));
            steps.UnionWith(events.Select(e => $"{e!["bizStep"]}/{e["disposition"]}"));
            path = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            response.Dispose();
            pages++;
        }

        Assert.True(pages > 3, $"only {pages} page(s)");
        await EpcisValidator.AssertConformsAsync(documents);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        string[] lifecycle =
        [
            "commissioning/active", "assembling/container_closed", "packing/in_progress", "shipping/in_transit", "receiving/in_progress",
            "inspecting/container_open", "holding/recalled", "decommissioning/inactive",
        ];
        Assert.All(lifecycle, step => Assert.Contains(step, steps));
    }

    [Fact]
    public async Task The_validators_fail_a_document_we_did_not_produce_correctly()
    {
        var (_, body, response) = await fixture.GetAsync("/epcis/events?EQ_bizStep=shipping");
        response.Dispose();
        var broken = JsonNode.Parse(body)!;
        var first = EpcisValidator.Events(broken)[0]!.AsObject();
        first["eventTime"] = "yesterday";
        first["disposition"] = "somewhere";
        Assert.NotEmpty(EpcisValidator.SchemaErrors(broken.ToJsonString()));
        Assert.False((await EpcisValidator.CheckWithJsAsync(broken.ToJsonString())).SchemaValid);

        var altered = JsonNode.Parse(body)!;
        EpcisValidator.Events(altered)[0]!["bizStep"] = "receiving";
        var hashes = (await EpcisValidator.CheckWithJsAsync(altered.ToJsonString())).Hashes;
        Assert.NotEqual(hashes[0].EventId, hashes[0].Computed);

        var undeclared = JsonNode.Parse(body)!;
        EpcisValidator.Events(undeclared)[0]!["madeUpField"] = "a term the context does not define";
        Assert.False((await EpcisValidator.CheckWithJsAsync(undeclared.ToJsonString())).JsonLdValid);
    }

    [Fact]
    public async Task A_sealing_event_has_the_site_as_location_the_line_as_read_point_and_the_gateways_fix_as_a_sensor_element()
    {
        var events = await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString(EpcisNodeFixture.Bottle(fixture.Lot1[2]))}&EQ_bizStep=assembling");
        var seal = Assert.Single(events);
        // Identifiers live on the producer's resolver domain (Codes:Domain, id.example.com by default).
        Assert.Equal($"https://id.example.com/sites/{ProvenanceNode.SiteId}/location", seal["bizLocation"]!["id"]!.GetValue<string>());
        Assert.StartsWith($"https://id.example.com/sites/{ProvenanceNode.SiteId}/lines/", seal["readPoint"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var sensor = seal["sensorElementList"]![0]!;
        Assert.Equal("https://id.example.com/gateways/gw-1/device", sensor["sensorMetadata"]!["deviceID"]!.GetValue<string>());
        var latitude = sensor["sensorReport"]!.AsArray().Single(r => r!["component"]!.GetValue<string>() == "latitude")!["value"]!.GetValue<double>();
        Assert.InRange(latitude, ProvenanceNode.SiteLat - 0.01, ProvenanceNode.SiteLat + 0.01);
        Assert.True(seal["pv:originAttested"]!.GetValue<bool>());
        Assert.Equal("container_closed", seal["disposition"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_cli_exports_a_lot_and_a_date_range_to_a_file_that_validates()
    {
        var lotFile = Path.Combine(fixture.Node.WorkDirectory, "lot-l1.jsonld");
        await fixture.Node.CliAsync("epcis", "export", "--lot", $"{ProvenanceNode.Gtin}/L1", "--out", lotFile);
        var lot = File.ReadAllText(lotFile);
        await EpcisValidator.AssertConformsAsync(lot);
        var events = EpcisValidator.Events(JsonNode.Parse(lot)!);
        var steps = events.Select(e => e!["bizStep"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "commissioning", "assembling", "packing", "shipping", "receiving", "inspecting", "holding", "decommissioning" }, steps);
        Assert.DoesNotContain(events, e => e!.ToJsonString().Contains("/10/L2", StringComparison.Ordinal)); // the L2 recall is another lot's

        var rangeFile = Path.Combine(fixture.Node.WorkDirectory, "range.jsonld");
        await fixture.Node.CliAsync("epcis", "export", "--from", fixture.StartedAt.ToString("O"), "--to", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"), "--out", rangeFile);
        var range = File.ReadAllText(rangeFile);
        await EpcisValidator.AssertConformsAsync(range);
        Assert.True(EpcisValidator.Events(JsonNode.Parse(range)!).Count >= events.Count);

        var none = Path.Combine(fixture.Node.WorkDirectory, "none.jsonld");
        await fixture.Node.CliAsync("epcis", "export", "--to", "2000-01-01T00:00:00Z", "--out", none);
        Assert.Empty(EpcisValidator.Events(JsonNode.Parse(File.ReadAllText(none))!));
    }
}

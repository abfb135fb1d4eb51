using System.Text.Json.Nodes;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Epcis;

/// <summary>Partners' systems send EPCIS 2.0 documents: mapped onto cases, shipments and receipts, all or nothing, idempotent.</summary>
[Collection(EpcisCaptureCollection.Name)]
public sealed class EpcisCaptureTests(EpcisCaptureFixture fixture)
{
    private const string Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    [Fact]
    public async Task Capture_round_trips_the_query_returns_the_same_events_with_the_same_ids()
    {
        var sscc = Sscc("000000001");
        var bottles = fixture.Lot1.Take(3).Select(Urn).ToArray();
        var document = Document(
            new JsonObject
            {
                ["type"] = "AggregationEvent", ["eventTime"] = "2026-11-30T08:00:00.000Z", ["eventTimeZoneOffset"] = "+08:00",
                // The parent as Digital Link: epcis2.js turns an SSCC URN into a 19-digit SSCC (it keeps the extension digit twice),
                // so its hash of an event naming an SSCC URN is not the CBV one; SGTIN URNs it converts right.
                ["parentID"] = $"https://id.gs1.org/00/{sscc}", ["childEPCs"] = Array(bottles), ["action"] = "ADD", ["bizStep"] = "packing", ["disposition"] = "in_progress",
                ["readPoint"] = new JsonObject { ["id"] = "urn:epc:id:sgln:9506000.00001.0" },
            },
            new JsonObject
            {
                ["type"] = "ObjectEvent", ["eventID"] = "urn:uuid:6b1f1a52-4b0e-4c7e-9d0a-3c2f5e8a9b01", ["eventTime"] = "2026-11-30T09:30:00.000Z", ["eventTimeZoneOffset"] = "+08:00",
                ["epcList"] = Array($"https://id.gs1.org/00/{sscc}"), ["action"] = "OBSERVE", ["bizStep"] = "shipping", ["disposition"] = "in_transit",
                ["bizTransactionList"] = new JsonArray(new JsonObject { ["type"] = "po", ["bizTransaction"] = "urn:epc:id:gdti:9506000.00001.PO-7781" }),
                ["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = $"https://id.example.com/distributors/{EpcisNodeFixture.DistributorId}/party" }),
                ["acme:orderLine"] = "7",
            });
        var shipmentsBefore = await ShipmentCountAsync();

        var (status, job) = await fixture.Client.CaptureAsync(document.ToJsonString(), fixture.ProducerKey);

        Assert.True(status == 202, job?.ToJsonString());
        var ids = job!["eventIDs"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(2, job["captured"]!.GetValue<int>());
        var expectedHash = (await EpcisValidator.CheckWithJsAsync(document.ToJsonString())).Hashes[0].Computed;
        Assert.Equal(expectedHash, ids[0]); // an event sent without an id gets its CBV 2.0 hash, as epcis2.js computes it
        Assert.Equal("urn:uuid:6b1f1a52-4b0e-4c7e-9d0a-3c2f5e8a9b01", ids[1]);

        var (queryStatus, body, response) = await fixture.Client.GetAsync($"/epcis/events?EQ_eventID={Uri.EscapeDataString(string.Join('|', ids))}");
        response.Dispose();
        Assert.Equal(200, queryStatus);
        Assert.Empty(EpcisValidator.SchemaErrors(body));
        Assert.True((await EpcisValidator.CheckWithJsAsync(body)).JsonLdValid);
        var returned = EpcisValidator.Events(JsonNode.Parse(body)!).Select(e => e!.AsObject()).ToList();
        var sent = EpcisValidator.Events(document).Select(e => e!.AsObject()).ToList();
        sent[0]["eventID"] = ids[0];
        for (var i = 0; i < 2; i++)
        {
            Assert.NotNull(returned[i]["recordTime"]);
            returned[i].Remove("recordTime");
            Assert.True(JsonNode.DeepEquals(sent[i], returned[i]), $"sent {sent[i].ToJsonString()}\nreturned {returned[i].ToJsonString()}");
        }

        Assert.Equal(shipmentsBefore + 1, await ShipmentCountAsync());
        var packed = await fixture.Client.EventsAsync($"MATCH_parentID={Uri.EscapeDataString($"https://id.gs1.org/00/{sscc}")}");
        Assert.Equal(ids[0], Assert.Single(packed)["eventID"]!.GetValue<string>());
    }

    [Fact]
    public async Task Capturing_a_document_again_changes_nothing_and_a_reused_id_with_other_content_is_refused()
    {
        var sscc = Sscc("000000002");
        var document = Document(Packing(sscc, fixture.Lot1.Skip(3).Take(2)), Shipping($"https://id.gs1.org/00/{sscc}", "urn:uuid:0d7a9f6e-1111-4a1b-9c1d-000000000002"));
        var (first, _) = await fixture.Client.CaptureAsync(document.ToJsonString(), fixture.ProducerKey);
        Assert.Equal(202, first);
        var shipments = await ShipmentCountAsync();

        var (again, job) = await fixture.Client.CaptureAsync(document.ToJsonString(), fixture.ProducerKey);

        Assert.Equal(202, again);
        Assert.Equal(0, job!["captured"]!.GetValue<int>());
        Assert.Equal(2, job["alreadyCaptured"]!.GetValue<int>());
        Assert.Equal(shipments, await ShipmentCountAsync());

        var changed = Document(Shipping($"https://id.gs1.org/00/{sscc}", "urn:uuid:0d7a9f6e-1111-4a1b-9c1d-000000000002", disposition: "in_progress"));
        var (conflict, problem) = await fixture.Client.CaptureAsync(changed.ToJsonString(), fixture.ProducerKey);
        Assert.Equal(409, conflict);
        Assert.Contains("different content", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(shipments, await ShipmentCountAsync());
    }

    [Fact]
    public async Task An_invalid_document_is_refused_with_the_schemas_reason_and_nothing_of_it_is_applied()
    {
        var noTime = Document(Packing(Sscc("000000003"), fixture.Lot1.Skip(5).Take(1)));
        EpcisValidator.Events(noTime)[0]!.AsObject().Remove("eventTime");
        var (status, problem) = await fixture.Client.CaptureAsync(noTime.ToJsonString(), fixture.ProducerKey);
        Assert.Equal(400, status);
        Assert.Equal("epcisException:ValidationException", problem!["type"]!.GetValue<string>());
        Assert.Contains("eventTime", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var sscc = Sscc("000000004");
        var halfGood = Document(Packing(sscc, fixture.Lot1.Skip(6).Take(2)), Shipping("urn:epc:id:sgtin:9506000.013435.NEVERISSUED", null));
        var shipments = await ShipmentCountAsync();
        (status, problem) = await fixture.Client.CaptureAsync(halfGood.ToJsonString(), fixture.ProducerKey);

        Assert.Equal(400, status);
        Assert.StartsWith("event 2:", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("NEVERISSUED", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await fixture.Client.EventsAsync($"MATCH_parentID={Uri.EscapeDataString($"https://id.gs1.org/00/{sscc}")}"));
        using var unknownCase = await ApiCalls.SendAsync(fixture.Node, HttpMethod.Post, "/api/shipments", fixture.ProducerKey,
            new { distributorId = EpcisNodeFixture.DistributorId, cases = new[] { $"https://id.example.com/00/{sscc}" } });
        Assert.Equal(400, (int)unknownCase.StatusCode); // the packing event of the refused document created no case
        Assert.Equal(shipments, await ShipmentCountAsync());

        (status, _) = await fixture.Client.CaptureAsync("{ not json", fixture.ProducerKey);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Capture_follows_the_same_object_level_rules_as_the_http_api()
    {
        var packing = Document(Packing(Sscc("000000005"), fixture.Lot1.Skip(8).Take(1)));
        var (status, problem) = await fixture.Client.CaptureAsync(packing.ToJsonString(), fixture.DistributorKey);
        Assert.Equal(403, status);
        Assert.Contains("producer", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var receiving = Document(Receiving(Urn(fixture.Lot1[9])));
        (status, problem) = await fixture.Client.CaptureAsync(receiving.ToJsonString(), fixture.ProducerKey);
        Assert.Equal(403, status);
        Assert.Contains("distributor", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await fixture.Client.CaptureAsync(receiving.ToJsonString(), "pvk_not-a-key");
        Assert.Equal(401, status);

        // d-2 receives a bottle shipped to d-1: recorded (it is a fact) and raised as a receipt mismatch, as receipts do.
        var bottle = $"https://id.gs1.org/01/{EpcisNodeFixture.ExampleGtinLink}/21/2017";
        (status, _) = await fixture.Client.CaptureAsync(Document(Receiving(bottle)).ToJsonString(), fixture.OtherDistributorKey);
        Assert.Equal(202, status);
        var alerts = await ApiCalls.JsonAsync(fixture.Node, HttpMethod.Get, "/api/alerts?kind=receipt_mismatch", fixture.ProducerKey);
        Assert.Contains(alerts.GetProperty("items").EnumerateArray(), a => a.GetProperty("serial").GetString() == "2017" && a.GetProperty("distributorId").GetString() == EpcisNodeFixture.OtherDistributorId);
    }

    [Theory]
    [InlineData("Example_9.6.1-ObjectEvent.jsonld", "event 1: a shipping event needs a destinationList entry of type owning_party")]
    [InlineData("Example_9.6.1-ObjectEventWithDigitalLink.jsonld", "event 1: a shipping event needs a destinationList entry of type owning_party")]
    [InlineData("Example_9.6.3-AggregationEvent.jsonld", "event 1: class-level quantities are not tracked here")]
    [InlineData("SensorDataExample16.jsonld", "bizStep 'sensor_reporting'")]
    [InlineData("aggregation_event_all_possible_fields.jsonld", "event 1: error declarations are not supported")]
    [InlineData("object_event_all_possible_fields.jsonld", "event 1: error declarations are not supported")]
    public async Task An_official_example_that_does_not_fit_our_model_is_refused_with_a_clear_reason(string example, string reason)
    {
        var document = EpcisCaptureFixture.Example(example);
        Assert.Empty(EpcisValidator.SchemaErrors(document.ToJsonString())); // the example itself is valid EPCIS

        var (status, problem) = await fixture.Client.CaptureAsync(document.ToJsonString(), fixture.ProducerKey);

        Assert.Equal(400, status);
        Assert.Contains(reason, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Example_9.6.1-ObjectEvent.jsonld")]
    [InlineData("Example_9.6.1-ObjectEventWithDigitalLink.jsonld")]
    public async Task The_receiving_event_of_an_official_example_is_captured_by_the_distributor_and_returned_unchanged(string example)
    {
        var document = EpcisCaptureFixture.Example(example);
        var events = EpcisValidator.Events(document);
        var receiving = events[1]!.DeepClone().AsObject();
        events.Clear();
        events.Add(receiving.DeepClone());
        var id = receiving["eventID"]!.GetValue<string>();

        var (status, job) = await fixture.Client.CaptureAsync(document.ToJsonString(), fixture.DistributorKey);

        Assert.True(status == 202, job?.ToJsonString());
        var (_, body, response) = await fixture.Client.GetAsync($"/epcis/events/{Uri.EscapeDataString(id)}", fixture.DistributorKey);
        response.Dispose();
        Assert.Empty(EpcisValidator.SchemaErrors(body));
        Assert.True((await EpcisValidator.CheckWithJsAsync(body)).JsonLdValid);
        var query = JsonNode.Parse(body)!;
        var returned = Assert.Single(EpcisValidator.Events(query))!.AsObject();
        returned.Remove("recordTime");
        Assert.True(JsonNode.DeepEquals(receiving, returned), $"sent {receiving.ToJsonString()}\nreturned {returned.ToJsonString()}");
        Assert.Contains(query["@context"]!.AsArray(), c => c is JsonObject o && o["example"]?.GetValue<string>() == "http://ns.example.com/epcis/");
    }

    private static JsonObject Document(params JsonObject[] events) => new()
    {
        ["@context"] = new JsonArray(Context, new JsonObject { ["acme"] = "https://partner.example/ns/" }),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = "2026-11-30T10:00:00.000Z",
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray([.. events]) },
    };

    private static JsonObject Packing(string sscc, IEnumerable<string> bottleUrls) => new()
    {
        ["type"] = "AggregationEvent", ["eventTime"] = "2026-11-30T08:00:00.000Z", ["eventTimeZoneOffset"] = "+08:00",
        ["parentID"] = SsccUrn(sscc), ["childEPCs"] = Array([.. bottleUrls.Select(Urn)]), ["action"] = "ADD", ["bizStep"] = "packing",
    };

    private static JsonObject Shipping(string epc, string? id, string disposition = "in_transit")
    {
        var e = new JsonObject
        {
            ["type"] = "ObjectEvent", ["eventTime"] = "2026-11-30T09:30:00.000Z", ["eventTimeZoneOffset"] = "+08:00",
            ["epcList"] = Array(epc), ["action"] = "OBSERVE", ["bizStep"] = "shipping", ["disposition"] = disposition,
            ["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = $"https://id.example.com/distributors/{EpcisNodeFixture.DistributorId}/party" }),
        };
        if (id is not null)
        {
            e["eventID"] = id;
        }

        return e;
    }

    private static JsonObject Receiving(string epc) => new()
    {
        ["type"] = "ObjectEvent", ["eventTime"] = "2026-11-30T11:00:00.000Z", ["eventTimeZoneOffset"] = "+08:00",
        ["epcList"] = Array(epc), ["action"] = "OBSERVE", ["bizStep"] = "receiving", ["disposition"] = "in_progress",
        ["bizLocation"] = new JsonObject { ["id"] = "geo:31.2304,121.4737" },
    };

    private static JsonArray Array(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    /// <summary>A bottle's URL as an EPC URN (company prefix 9506000 of GTIN 09506000134352).</summary>
    private static string Urn(string url) => $"urn:epc:id:sgtin:9506000.013435.{url.Split('?')[0].Split('/')[^1]}";

    private static string Sscc(string serialReference) => "09506000" + serialReference + CheckDigit.Compute("09506000" + serialReference);

    private static string SsccUrn(string sscc) => $"urn:epc:id:sscc:9506000.{sscc[0]}{sscc[8..17]}";

    private async Task<int> ShipmentCountAsync() =>
        (await ApiCalls.JsonAsync(fixture.Node, HttpMethod.Get, $"/api/distributors/{EpcisNodeFixture.DistributorId}/shipments", fixture.ProducerKey)).GetArrayLength();
}

using System.Text.Json.Nodes;
using Provenance.Core.Epcis;

namespace Provenance.Core.Tests.Epcis;

/// <summary>The CBV 2.0 pre-hash rules; the end-to-end tests cross-check the ids themselves with epcis2.js.</summary>
public sealed class EpcisEventHashTests
{
    private static JsonObject Event() => JsonNode.Parse("""
        {"type":"ObjectEvent","eventTime":"2026-11-30T16:00:00.123+08:00","eventTimeZoneOffset":"+08:00",
         "epcList":["urn:epc:id:sgtin:9506000.013435.B","https://id.gs1.org/01/09506000134352/21/A"],
         "action":"OBSERVE","bizStep":"shipping","disposition":"in_transit",
         "bizTransactionList":[{"type":"po","bizTransaction":"urn:epc:id:gdti:9506000.00001.7"}],
         "pv:sealType":"crown","rdfs:comment":"text the hash ignores"}
        """)!.AsObject();

    [Fact]
    public void The_pre_hash_string_follows_the_canonical_order_with_sorted_lists_expanded_terms_and_utc_times()
    {
        var text = EpcisEventHash.PreHashString(Event(), new Dictionary<string, string> { ["pv"] = "https://ns.example/" });

        Assert.Equal(
            "eventType=ObjectEventeventTime=2026-11-30T08:00:00.123ZeventTimeZoneOffset=+08:00" +
            "epcListepc=https://id.gs1.org/01/09506000134352/21/Aepc=https://id.gs1.org/01/09506000134352/21/B" +
            "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit" +
            "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epc:id:gdti:9506000.00001.7" +
            "{https://ns.example/}sealType=crown",
            text);
    }

    [Fact]
    public void The_id_ignores_event_id_record_time_and_comments_and_changes_with_any_fact()
    {
        var id = EpcisEventHash.Compute(Event());
        var decorated = Event();
        decorated["eventID"] = "urn:uuid:x";
        decorated["recordTime"] = "2027-01-01T00:00:00Z";
        decorated["rdfs:comment"] = "another remark";
        var moved = Event();
        moved["disposition"] = "in_progress";

        Assert.Matches("^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2.0$", id);
        Assert.Equal(id, EpcisEventHash.Compute(decorated));
        Assert.NotEqual(id, EpcisEventHash.Compute(moved));
    }

    [Fact]
    public void Our_identifiers_end_in_a_word_so_no_date_parser_mistakes_them_for_times()
    {
        var names = new EpcisNames("id.example.com");
        foreach (var uri in new[] { names.Site("plant-1"), names.Line("plant-1", "3"), names.Gateway("gw-1"), names.Distributor("d-1"), names.Shipment(7), names.Producer })
        {
            Assert.False(char.IsAsciiDigit(uri[^1]), uri);
        }

        Assert.Equal("d-1", names.DistributorId(names.Distributor("d-1")));
        Assert.Null(names.DistributorId("https://id.example.com/distributors/d-1"));
    }
}

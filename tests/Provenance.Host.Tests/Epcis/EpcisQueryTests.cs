using System.Text.Json.Nodes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Epcis;

/// <summary>The EPCIS 2.0 REST query parameters, paging, single events, and who sees what.</summary>
[Collection(EpcisCollection.Name)]
public sealed class EpcisQueryTests(EpcisNodeFixture fixture)
{
    [Fact]
    public async Task A_bottles_story_is_found_by_its_epc_in_digital_link_or_urn_form()
    {
        var bottle = EpcisNodeFixture.Bottle(fixture.Lot1[0]);
        var story = await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString(bottle)}");
        Assert.Equal(
            ["commissioning", "assembling", "packing", "shipping", "receiving", "inspecting"],
            story.Select(e => e["bizStep"]!.GetValue<string>()));

        // The same bottle as an EPC URN: GTIN 09506000134352 is company prefix 9506000, item reference 0 + 13435.
        var serial = bottle[(bottle.LastIndexOf('/') + 1)..];
        var byUrn = await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString($"urn:epc:id:sgtin:9506000.013435.{serial}")}");
        Assert.Equal(story.Select(e => e["eventID"]!.ToString()), byUrn.Select(e => e["eventID"]!.ToString()));
    }

    [Fact]
    public async Task Each_filter_narrows_the_answer_to_what_it_names()
    {
        var shipping = await fixture.EventsAsync("EQ_bizStep=shipping");
        Assert.Equal(2, shipping.Count);
        Assert.All(shipping, e => Assert.Equal($"https://id.example.com/distributors/{EpcisNodeFixture.DistributorId}/party", e["destinationList"]![0]!["destination"]!.GetValue<string>()));

        var packing = await fixture.EventsAsync($"MATCH_parentID={Uri.EscapeDataString($"urn:epc:id:sscc:9506000.0123456789")}");
        Assert.Equal(fixture.Sscc, Assert.Single(packing)["parentID"]!.GetValue<string>()[^18..]);
        Assert.Equal(4, packing[0]["childEPCs"]!.AsArray().Count);

        var atSite = await fixture.EventsAsync($"EQ_bizLocation={Uri.EscapeDataString($"https://id.example.com/sites/{ProvenanceNode.SiteId}/location")}");
        Assert.Equal(12, atSite.Count);
        Assert.All(atSite, e => Assert.Equal("assembling", e["bizStep"]!.GetValue<string>()));

        var either = await fixture.EventsAsync("EQ_bizStep=holding|decommissioning");
        Assert.Equal(["holding", "holding", "decommissioning"], either.Select(e => e["bizStep"]!.GetValue<string>()).Order(StringComparer.Ordinal).Reverse());

        var all = await fixture.EventsAsync(string.Empty);
        var middle = all[all.Count / 2]["eventTime"]!.GetValue<string>();
        var before = await fixture.EventsAsync($"LT_eventTime={Uri.EscapeDataString(middle)}");
        var after = await fixture.EventsAsync($"GE_eventTime={Uri.EscapeDataString(middle)}");
        Assert.Equal(all.Count, before.Count + after.Count);
        Assert.All(before, e => Assert.True(DateTimeOffset.Parse(e["eventTime"]!.GetValue<string>()) < DateTimeOffset.Parse(middle)));
        Assert.Empty(await fixture.EventsAsync("GE_eventTime=2100-01-01T00:00:00Z"));
    }

    [Fact]
    public async Task Paging_follows_the_link_header_and_a_token_only_works_for_its_own_query()
    {
        var all = await fixture.EventsAsync(string.Empty);
        var (_, _, first) = await fixture.GetAsync("/epcis/events?perPage=5&EQ_bizStep=assembling");
        var next = first.Headers.GetValues("Link").Single();
        Assert.EndsWith("; rel=\"next\"", next, StringComparison.Ordinal);
        var token = next[(next.IndexOf("nextPageToken=", StringComparison.Ordinal) + "nextPageToken=".Length)..next.IndexOf('>', StringComparison.Ordinal)];
        first.Dispose();

        var (status, body, reused) = await fixture.GetAsync($"/epcis/events?perPage=5&EQ_bizStep=shipping&nextPageToken={token}");
        reused.Dispose();
        Assert.Equal(400, status);
        Assert.Contains("nextPageToken", body, StringComparison.Ordinal);

        var (otherStatus, _, other) = await fixture.GetAsync($"/epcis/events?perPage=5&EQ_bizStep=assembling&nextPageToken={token}", fixture.DistributorKey);
        other.Dispose();
        Assert.Equal(400, otherStatus);
        Assert.True(all.Count > 5);
    }

    [Fact]
    public async Task Unsupported_query_parameters_and_bad_values_are_refused_not_ignored()
    {
        foreach (var query in new[] { "MATCH_epcClass=x", "EQ_readPoint=x", "GE_eventTime=yesterday", "perPage=0", "EQ_action=MOVE" })
        {
            var (status, body, response) = await fixture.GetAsync($"/epcis/events?{query}");
            response.Dispose();
            Assert.True(status == 400, $"{query}: {status}");
            Assert.Contains("QueryParameterException", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task One_event_is_served_by_its_id_and_unknown_ids_are_not_found()
    {
        var shipping = (await fixture.EventsAsync("EQ_bizStep=shipping"))[0];
        var id = shipping["eventID"]!.GetValue<string>();
        Assert.StartsWith("ni:///sha-256;", id, StringComparison.Ordinal);
        var (status, body, response) = await fixture.GetAsync($"/epcis/events/{Uri.EscapeDataString(id)}");
        response.Dispose();
        Assert.Equal(200, status);
        await EpcisValidator.AssertConformsAsync(body);
        Assert.Equal(id, Assert.Single(EpcisValidator.Events(JsonNode.Parse(body)!))!["eventID"]!.GetValue<string>());

        var (missing, _, r2) = await fixture.GetAsync($"/epcis/events/{Uri.EscapeDataString(id.Replace('a', 'b'))}");
        r2.Dispose();
        Assert.Equal(404, missing);
        var (anonymous, _, r3) = await fixture.GetAsync("/epcis/events", key: "pvk_not-a-key");
        r3.Dispose();
        Assert.Equal(401, anonymous);
    }

    [Fact]
    public async Task A_distributor_sees_its_own_events_and_the_whole_story_of_bottles_allocated_to_it_and_nothing_else()
    {
        var own = await fixture.EventsAsync(string.Empty, fixture.DistributorKey);
        Assert.Equal(["receiving", "shipping", "shipping"], own.Select(e => e["bizStep"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var allocated = EpcisNodeFixture.Bottle(fixture.Lot1[5]);
        var story = await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString(allocated)}", fixture.DistributorKey);
        Assert.Contains(story, e => e["bizStep"]!.GetValue<string>() == "commissioning");
        Assert.Contains(story, e => e["bizStep"]!.GetValue<string>() == "assembling");

        var notAllocated = EpcisNodeFixture.Bottle(fixture.Lot1[10]);
        Assert.Empty(await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString(notAllocated)}", fixture.DistributorKey));
        Assert.Empty(await fixture.EventsAsync(string.Empty, fixture.OtherDistributorKey));

        var seal = (await fixture.EventsAsync($"MATCH_anyEPC={Uri.EscapeDataString(notAllocated)}&EQ_bizStep=assembling"))[0];
        var (status, _, response) = await fixture.GetAsync($"/epcis/events/{Uri.EscapeDataString(seal["eventID"]!.GetValue<string>())}", fixture.DistributorKey);
        response.Dispose();
        Assert.Equal(404, status);
        var mine = story.First(e => e["bizStep"]!.GetValue<string>() == "assembling");
        var (visible, _, r2) = await fixture.GetAsync($"/epcis/events/{Uri.EscapeDataString(mine["eventID"]!.GetValue<string>())}", fixture.DistributorKey);
        r2.Dispose();
        Assert.Equal(200, visible);
    }
}

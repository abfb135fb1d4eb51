using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>The producer's campaign API: bodies that cannot run are refused field by field, and distributor keys cannot see or change campaigns.</summary>
[Collection(RewardCollection.Name)]
public sealed class CampaignApiTests(RewardNode n)
{
    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "budget", """{"budget": 0}""", "positive" },
        { "kind", """{"kind": "vouchers"}""", "cash" },
        { "currency", """{"currency": "yuan"}""", "ISO 4217" },
        { "tiers", """{"tiers": []}""", "tiers" },
        { "tiers[1].probability", """{"tiers": [{"amount": 100, "probability": 0.5}, {"amount": 50}]}""", "required" },
        { "tiers", """{"tiers": [{"amount": 100, "probability": 0.7}, {"amount": 50, "probability": 0.6}]}""", "add up to 1.3" },
        { "tiers[0].amount", """{"tiers": [{"amount": 200000}]}""", "larger than the whole budget" },
        { "endsAt", """{"endsAt": "2026-01-01T00:00:00+08:00"}""", "later than startsAt" },
        { "gtins[0]", """{"gtins": ["09506000134353"]}""", "check digit" },
        { "limits.perDay", """{"limits": {"perDay": 0}}""", "positive" },
        { "region", """{"region": {"iso": ["CN-GD"]}}""", "polygons" },
        { "timeZone", """{"timeZone": "Mars/Olympus"}""", "IANA" },
        { "id", """{"id": "has space"}""", "letters" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_campaign_is_refused_with_a_400_that_names_the_field_to_fix_and_nothing_is_stored(string field, string change, string says)
    {
        var body = ValidBody($"bad-{Guid.NewGuid():N}"[..20]);
        foreach (var (name, value) in JsonDocument.Parse(change).RootElement.EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            body[name] = System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText());
        }

        using var response = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/campaigns", n.ProducerKey, content: new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {text}");
        Assert.Contains(says, messages[0].GetString(), StringComparison.Ordinal);
        var id = body["id"]!.GetValue<string>();
        Assert.DoesNotContain((await n.GetAsync("/api/campaigns")).EnumerateArray(), c => c.GetProperty("definition").GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_distributor_key_can_neither_see_nor_create_nor_review_campaigns()
    {
        var created = await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/distributors", n.ProducerKey, new { id = "reward-dist", name = "Reward Dist", country = "CN", region = new { iso = new[] { "CN" } } });
        var distributor = created.GetProperty("apiKey").GetString()!;
        var body = ValidBody("dist-made");
        await n.CreateCampaignAsync("dist-visible", "M1", budget: 1_000, tiers: new[] { new { amount = 10, probability = 0.5 } });

        var calls = new (HttpMethod Method, string Path, HttpContent? Content)[]
        {
            (HttpMethod.Get, "/api/campaigns", null),
            (HttpMethod.Get, "/api/campaigns/dist-visible", null),
            (HttpMethod.Get, "/api/campaigns/dist-visible/redemptions", null),
            (HttpMethod.Post, "/api/campaigns", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/campaigns/dist-visible/redemptions/00000000000000000000000000000000/approve", null),
            (HttpMethod.Post, "/api/campaigns/dist-visible/redemptions/00000000000000000000000000000000/reject", null),
        };
        foreach (var (method, path, content) in calls)
        {
            using var response = await ApiCalls.SendAsync(n.Node, method, path, distributor, content: content);
            Assert.True((int)response.StatusCode is 403 or 404, $"{method} {path} as a distributor: {(int)response.StatusCode}");
            Assert.DoesNotContain("dist-visible", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await n.GetAsync("/api/campaigns")).EnumerateArray(), c => c.GetProperty("definition").GetProperty("id").GetString() == "dist-made");
        using var other = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/campaigns/misc-none/redemptions/00000000000000000000000000000000/approve", n.ProducerKey);
        Assert.Equal(404, (int)other.StatusCode);
    }

    [Fact]
    public async Task The_campaign_in_the_readme_is_accepted_as_written()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Running a reward campaign", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        using var response = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/campaigns", n.ProducerKey, content: new StringContent(example, System.Text.Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var campaign = await n.GetAsync("/api/campaigns/spring-2027");
        Assert.Equal(3, campaign.GetProperty("definition").GetProperty("tiers").GetArrayLength());
    }

    private static System.Text.Json.Nodes.JsonObject ValidBody(string id) => new()
    {
        ["id"] = id,
        ["name"] = "Spring festival",
        ["kind"] = "cash",
        ["currency"] = "CNY",
        ["budget"] = 100_000,
        ["tiers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["amount"] = 188, ["probability"] = 0.2 }),
        ["startsAt"] = "2026-02-01T00:00:00+08:00",
        ["endsAt"] = "2026-03-01T00:00:00+08:00",
        ["gtins"] = new System.Text.Json.Nodes.JsonArray(ProvenanceNode.Gtin),
    };
}

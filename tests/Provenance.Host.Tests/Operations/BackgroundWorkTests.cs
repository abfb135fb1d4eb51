using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Operations;

/// <summary>Every journal sink and dispatcher a default node runs is running, each registered with leadership (<c>/health</c> says which).</summary>
public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task A_default_node_runs_every_sink_and_dispatcher_and_health_says_it_leads_each()
    {
        await using var node = await InProcessNode.StartAsync();

        var storage = (await node.Management.GetFromJsonAsync<JsonElement>("/health")).GetProperty("storage");

        Assert.Equal(TestStorage.IsPostgres ? "postgres" : "sqlite", storage.GetProperty("provider").GetString());
        var work = storage.GetProperty("work").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(["alerts:origin", "dispatch:payouts", "dispatch:webhooks", "sink:epcis", "sink:ledger"], work.Keys.Order(StringComparer.Ordinal));
        Assert.All(work.Values, state => Assert.Equal("leading", state));
    }

    [Fact]
    public async Task A_process_without_the_api_role_never_stands_for_the_alerts_webhooks_or_payouts()
    {
        // Were it to stand, it could win the election against the api processes and run them where the README says it does not.
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?> { ["Provenance:Roles"] = "ingestion,sinks" });

        var storage = (await node.Management.GetFromJsonAsync<JsonElement>("/health")).GetProperty("storage");

        var work = storage.GetProperty("work").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(["sink:epcis", "sink:ledger"], work.Keys.Order(StringComparer.Ordinal));
    }
}

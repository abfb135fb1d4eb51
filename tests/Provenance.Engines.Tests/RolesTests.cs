using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 10, <c>Provenance:Roles</c>: an API replica configured exactly like an ingestion replica (same broker, user
/// and shared group in its environment) never connects to the broker, so gateway messages wait for ingestion instead
/// of being consumed by it; it answers scans from the shared state.
/// </summary>
public sealed class RolesTests(ITestOutputHelper output)
{
    private const int Seals = 50;

    [Fact]
    public async Task An_api_replica_never_consumes_the_shared_subscription_and_scans_what_ingestion_stored()
    {
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: false);
        await using var api = rig.Instance("ingest-api", "--Provenance:Roles=api");
        await api.StartAsync();

        var simulator = new GatewaySimulator(rig.SimulatorOptions(rate: 0) with { GnssInterval = TimeSpan.Zero }, TextWriter.Null);
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.ConnectionChanged += (_, _) =>
        {
            if (simulator.Counters.PublishesNotTaken > 0)
            {
                refused.TrySetResult();
            }
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = simulator.RunAsync(timeout.Token);
        await refused.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var apiHealth = await api.HealthAsync();
        output.WriteLine($"with only the API replica up, mosquitto refused {simulator.Counters.PublishesNotTaken} publishes (no subscriber); API replica health: {apiHealth}");

        await using var ingestion = rig.Instance("ingest-1", "--Provenance:Roles=ingestion,sinks");
        await ingestion.StartAsync();
        var result = await run;
        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        await ingestion.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(rig.Codes[0]).PathAndQuery);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await api.Http.SendAsync(request);
        var scan = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, apiHealth.GetProperty("ingestion").GetProperty("messages").GetInt64());
        Assert.False(apiHealth.GetProperty("checks").TryGetProperty("broker", out _), "the API replica checks a broker it must not use");
        Assert.DoesNotContain(api.Process!.Lines, l => l.Contains("MQTT broker", StringComparison.Ordinal));
        Assert.Equal(Seals, HostDatabase.SealEventIds(rig.DataDirectory).Count);
        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task An_unknown_role_stops_serve_naming_the_setting()
    {
        using var dir = new TempDirectory("prov-roles");
        await using var serve = ChildProcess.StartDll(
            RepositoryPaths.HostDll, ["serve", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Provenance:Roles=ingestion,scanner"], dir.Path);

        var code = await serve.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, code);
        Assert.Contains("Provenance:Roles: unknown role 'scanner'", serve.Output, StringComparison.Ordinal);
    }
}

using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Operations;

/// <summary>
/// Issue 21 item 9: the ingestion totals of <c>/health</c> and <c>/metrics</c> no longer start again at 0 when the
/// process restarts; and the demo's gateway key and MQTT secret are written owner-only like every other secret.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DurableCountersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ingestion_totals_continue_after_a_restart()
    {
        const int Seals = 40;
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(Seals);
        await node.StartAsync();
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls, key) with { GnssInterval = TimeSpan.Zero }, TimeSpan.FromMinutes(2));
        var before = (await node.HealthAsync()).GetProperty("ingestion");

        await node.Host!.TerminateAsync(TimeSpan.FromSeconds(30));
        await node.StartAsync();
        var after = (await node.HealthAsync()).GetProperty("ingestion");
        using var metrics = await node.Management.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        output.WriteLine($"before the restart: {before}\nafter: {after}");
        Assert.Equal(Seals, before.GetProperty("seals").GetInt64());
        Assert.Equal(before.GetProperty("seals").GetInt64(), after.GetProperty("seals").GetInt64());
        Assert.Equal(before.GetProperty("messages").GetInt64(), after.GetProperty("messages").GetInt64());
        Assert.Matches($@"\nprovenance_ingestion_seals_total(\{{\}})? {Seals}\n", text);
    }

    [Fact]
    public async Task The_demo_writes_its_gateway_key_and_MQTT_secret_readable_by_the_owner_only()
    {
        using var dir = new TempDirectory("prov-demo-secrets");
        var port = FreePort.Next();
        await using var serve = ChildProcess.StartDll(RepositoryPaths.HostDll, ["serve", "--demo", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{port}", $"--Broker:Port={FreePort.Next()}"], dir.Path);
        await serve.WaitForLineAsync(l => l.StartsWith("demo: sealing ", StringComparison.Ordinal), TimeSpan.FromMinutes(2));

        foreach (var file in new[] { "demo-gw-1.key.pem", "demo-gw-1.secret" })
        {
            var mode = File.GetUnixFileMode(dir.Combine("data", "demo", file));
            output.WriteLine($"{file}: {mode}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
    }
}

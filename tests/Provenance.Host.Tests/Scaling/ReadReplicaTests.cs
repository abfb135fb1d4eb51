using System.Text.Json;
using Npgsql;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;
using Provenance.Storage;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Scaling;

/// <summary>
/// A <c>provenance serve</c> on a primary with a streaming hot standby (both real clusters the test starts, the standby
/// from <c>pg_basebackup</c>) as <c>ConnectionStrings:ProvenanceReplica</c>. With the standby's replay paused, what the
/// README promises is checked one by one: a settled bottle is answered from the standby (a recall by another process is
/// seen late), a recall made through this process is seen at once, a seal acknowledged meanwhile is authentic at once
/// (read from the primary), resuming replay makes the late recall visible, and with the standby down every scan is
/// answered from the primary.
/// </summary>
public sealed class ReadReplicaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_streaming_replica_answers_settled_scans_while_new_seals_local_recalls_and_a_replica_outage_read_the_primary()
    {
        // Private clusters: the test pauses replay and stops the standby.
        await using var primary = await PostgresServer.StartAsync();
        var primaryConnection = await primary.CreateDatabaseAsync("replica");
        await using var standby = await primary.StartStandbyAsync();
        var replicaConnection = standby.ConnectionString(new NpgsqlConnectionStringBuilder(primaryConnection).Database!);
        await using var node = new ProvenanceNode
        {
            Environment = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "postgres",
                ["ConnectionStrings__Provenance"] = primaryConnection,
                ["ConnectionStrings__ProvenanceReplica"] = replicaConnection,
                // Paused replay must not count as lagging here (that fallback is the outage's, below).
                ["Storage__ReplicaMaxLag"] = "00:10:00",
                // Every scan reads the database, so each one shows which database answered it.
                ["ScanReadModel__MaxBottles"] = "0",
            },
        };
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(30);
        await node.StartAsync();
        var producer = await ApiCalls.CreateKeyAsync(node, "producer");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls.Take(20).ToList(), key) with { GnssInterval = TimeSpan.Zero }, TimeSpan.FromMinutes(2));
        await WaitUntilAsync(node, h => h.GetProperty("journal").GetProperty("lag").GetProperty("ledger").GetInt64() == 0, "the ledger proofs of the first 20 seals");
        await WaitUntilAsync(node, h => Replica(h).GetProperty("state").GetString() == "in use", "the replica to be in use");

        var before = Replica(await node.HealthAsync()).GetProperty("scansServed").GetInt64();
        foreach (var url in urls.Take(5))
        {
            Assert.Equal("authentic", (await node.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        Assert.Equal(before + 5, Replica(await node.HealthAsync()).GetProperty("scansServed").GetInt64());

        await using (var pause = new NpgsqlDataSourceBuilder(replicaConnection).Build())
        {
            await pause.CreateCommand("SELECT pg_wal_replay_pause()").ExecuteNonQueryAsync();
        }

        // Another process recalls bottle 0; this process recalls bottle 1; the gateway seals five more bottles.
        var elsewhere = ProvenanceDatabase.OpenPostgres(primaryConnection);
        new TagEventStore(elsewhere).Add([Recall(urls[0])]);
        await ApiCalls.JsonAsync(node, HttpMethod.Post, "/api/recalls", producer, new { tags = new[] { urls[1] }, reason = "returned" });
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls.Skip(20).Take(5).ToList(), key) with { GnssInterval = TimeSpan.Zero, Seed = 9 }, TimeSpan.FromMinutes(2));

        Assert.Equal("authentic", (await node.ScanAsync(urls[0])).GetProperty("verdict").GetString()); // late: the standby has not replayed it
        Assert.Equal("recalled", (await node.ScanAsync(urls[1])).GetProperty("verdict").GetString()); // made here: read from the primary
        foreach (var url in urls.Skip(20).Take(5))
        {
            var scan = await node.ScanAsync(url);
            Assert.True(scan.GetProperty("verdict").GetString() == "authentic", $"a seal acknowledged while replay is paused scans authentic at once: {scan}");
        }

        await using (var resume = new NpgsqlDataSourceBuilder(replicaConnection).Build())
        {
            await resume.CreateCommand("SELECT pg_wal_replay_resume()").ExecuteNonQueryAsync();
        }

        await WaitUntilAsync(node, async () => (await node.ScanAsync(urls[0])).GetProperty("verdict").GetString() == "recalled", "the other process's recall to replay");

        await standby.StopAsync();
        new TagEventStore(elsewhere).Add([Recall(urls[2])]);
        Assert.Equal("recalled", (await node.ScanAsync(urls[2])).GetProperty("verdict").GetString()); // the standby is down: the primary answers
        Assert.Equal("authentic", (await node.ScanAsync(urls[3])).GetProperty("verdict").GetString());
        await WaitUntilAsync(node, h => Replica(h).GetProperty("state").GetString() == "unavailable", "health to report the replica unavailable");
        var health = await node.HealthAsync();
        output.WriteLine(Replica(health).ToString());
        Assert.NotEqual("unhealthy", health.GetProperty("status").GetString()); // scans go on: a replica outage does not make the node unready
    }

    private static TagEvent Recall(string url)
    {
        var link = DigitalLink.Parse(url);
        return new TagEvent(TagEventStore.Recalled, link.Gtin!.Value.Value, link.Serial, null, DateTimeOffset.UtcNow, "returned", null);
    }

    private static JsonElement Replica(JsonElement health) => health.GetProperty("storage").GetProperty("replica");

    private Task WaitUntilAsync(ProvenanceNode node, Func<JsonElement, bool> condition, string what) =>
        WaitUntilAsync(node, async () => condition(await node.HealthAsync()), what);

    private async Task WaitUntilAsync(ProvenanceNode node, Func<Task<bool>> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}: {await node.HealthAsync()}");
            }
        }

        output.WriteLine($"{what}: {watch.ElapsedMilliseconds} ms");
    }
}

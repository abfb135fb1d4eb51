using System.Diagnostics;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;
using Provenance.Storage;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Scaling;

/// <summary>
/// Two <c>serve</c> processes on one PostgreSQL database, the second holding bottles in its scan read model: a recall
/// made through the first (one bottle, then a whole lot) reaches the second's next scans at once through the relayed
/// change feed, while a write that bypasses every instance is seen only after <c>ScanReadModel:MaxAge</c>.
/// </summary>
public sealed class CrossInstanceChangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_recall_through_one_instance_reaches_bottles_another_instance_holds_in_memory_at_once()
    {
        var server = await PostgresServer.Shared;
        var connection = await server.CreateDatabaseAsync("relay");
        var shared = new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["ConnectionStrings__Provenance"] = connection };
        await using var first = new ProvenanceNode { Environment = shared };
        await using var second = new ProvenanceNode { Environment = shared };
        var gateway = await first.SetUpAsync();
        var (_, urls) = await first.IssueAsync(6);
        await first.StartAsync();
        NodeIdentity.Copy(first, second);
        await second.StartAsync();
        var producer = await ApiCalls.CreateKeyAsync(first, "producer");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(first, gateway, urls, key) with { GnssInterval = TimeSpan.Zero }, TimeSpan.FromMinutes(2));
        await WaitAsync(async () => (await first.HealthAsync()).GetProperty("journal").GetProperty("lag").GetProperty("ledger").GetInt64() == 0, "the ledger proofs");

        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await second.ScanAsync(url)).GetProperty("verdict").GetString()); // now held in the second's memory
        }

        // A write no instance made (straight into the database) reaches no read model: the second still answers from memory.
        var link = DigitalLink.Parse(urls[5]);
        new TagEventStore(ProvenanceDatabase.OpenPostgres(connection)).Add(
            [new TagEvent(TagEventStore.Recalled, link.Gtin!.Value.Value, link.Serial, null, DateTimeOffset.UtcNow, "bypass", null)]);
        Assert.Equal("authentic", (await second.ScanAsync(urls[5])).GetProperty("verdict").GetString());

        await ApiCalls.JsonAsync(first, HttpMethod.Post, "/api/recalls", producer, new { tags = new[] { urls[0] }, reason = "returned" });
        var seen = await WaitAsync(async () => (await second.ScanAsync(urls[0])).GetProperty("verdict").GetString() == "recalled", "the recall of one bottle on the second instance");
        Assert.Equal("authentic", (await second.ScanAsync(urls[1])).GetProperty("verdict").GetString());

        await ApiCalls.JsonAsync(first, HttpMethod.Post, "/api/recalls", producer, new { gtin = ProvenanceNode.Gtin, lot = "L1", reason = "glass fragments" });
        var lotSeen = await WaitAsync(async () => (await second.ScanAsync(urls[1])).GetProperty("verdict").GetString() == "recalled", "the recall of the lot on the second instance");
        output.WriteLine($"one bottle's recall seen by the other instance after {seen.TotalMilliseconds:0} ms, the lot's after {lotSeen.TotalMilliseconds:0} ms");
    }

    private static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, string what)
    {
        // Far below ScanReadModel:MaxAge (5 minutes): only the relayed change can make it in time.
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            await Task.Delay(50);
        }

        return watch.Elapsed;
    }
}

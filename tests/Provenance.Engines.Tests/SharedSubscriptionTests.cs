using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue item 5: two ingestion instances in one shared-subscription group (different client ids, their own HTTP ports,
/// ONE data directory: SQLite WAL across two processes) process each event once and split the load.
/// </summary>
public sealed class SharedSubscriptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_instances_on_one_shared_subscription_store_each_seal_once_and_split_the_messages()
    {
        const int Seals = 3000;
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: true);
        await using var first = rig.Instance("ingest-1");
        await using var second = rig.Instance("ingest-2");
        await first.StartAsync();
        await second.StartAsync();

        await Simulation.RunAsync(rig.SimulatorOptions(rate: 500), TimeSpan.FromMinutes(2));
        await rig.WaitForStoredSealsAsync(Seals, TimeSpan.FromMinutes(1));
        var one = await first.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        var two = await second.WaitForDrainedAsync(TimeSpan.FromMinutes(1));

        var acknowledged = rig.AcknowledgedEventIds();
        var seals = StreamFigures.Of("seals table (2 instances)", Seals, acknowledged, HostDatabase.SealEventIds(rig.DataDirectory));
        var ledger = StreamFigures.Of("ledger (2 instances)", Seals, acknowledged, HostDatabase.LedgerEventIds(rig.DataDirectory));
        var series = StreamFigures.Of("influx seal (2 instances)", Seals, acknowledged, await rig.Influx!.StringFieldAsync("seal", "event_id"));
        var messages = (One: one.GetProperty("ingestion").GetProperty("messages").GetInt64(), Two: two.GetProperty("ingestion").GetProperty("messages").GetInt64());
        var stored = (One: one.GetProperty("ingestion").GetProperty("seals").GetInt64(), Two: two.GetProperty("ingestion").GetProperty("seals").GetInt64());
        var duplicates = one.GetProperty("ingestion").GetProperty("duplicates").GetInt64() + two.GetProperty("ingestion").GetProperty("duplicates").GetInt64();
        var conflicts = HostDatabase.DeadLetters(rig.DataDirectory, "conflict");
        var attested = HostDatabase.AttestedSeals(rig.DataDirectory);
        seals.WriteTo(output);
        ledger.WriteTo(output);
        series.WriteTo(output);
        output.WriteLine($"[figures] split: ingest-1 {messages.One} messages / {stored.One} seals, ingest-2 {messages.Two} messages / {stored.Two} seals; duplicates absorbed {duplicates}, conflicts {conflicts}; attested seals {attested} of {Seals}");

        seals.AssertExactlyOnce();
        ledger.AssertExactlyOnce();
        series.AssertExactlyOnce();
        Assert.Equal(0, conflicts);
        Assert.Equal(Seals, stored.One + stored.Two);
        Assert.True(messages.One > 0 && messages.Two > 0, $"the load was not split: {messages}");
        var verify = await rig.Node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }
}

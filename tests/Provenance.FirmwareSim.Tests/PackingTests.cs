using Provenance.Core.Packaging;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

/// <summary>The simulator's packing station over a real mosquitto: signed pack messages on the gateway's pack topic.</summary>
public sealed class PackingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Pack_every_4_with_pallet_every_2_packs_10_bottles_into_three_cases_and_two_pallets_each_signed_by_the_gateway()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await Subscriber.ConnectAsync(broker.Port);
        var options = _gateway.Options(broker.Port, codes: 10) with { GnssInterval = TimeSpan.Zero, Batch = 3, PackEvery = 4, PalletEvery = 2 };

        var result = await new GatewaySimulator(options).RunAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        // The run completes when the broker has acknowledged every message, which can be before this subscriber has seen them all:
        // wait for all five containers (three cases, two pallets) and all ten seal events.
        await subscriber.Received.WaitUntilAsync(
            m => m.Where(x => x.Topic.EndsWith("/pack", StringComparison.Ordinal)).Sum(x => Messages.Pack(x).Packs.Count) >= 5 && Assertions.SealEventCount(m) >= 10,
            Timeout, "the pack messages and seal events");
        var received = subscriber.Received.Snapshot().Where(m => m.Topic == $"prov/v1/{options.SiteId}/{options.GatewayId}/pack").ToList();
        Assert.All(received, m => Assert.True(Messages.Verifies(m, _gateway.PublicKey), "a pack message verifies with the gateway's public key"));
        var packs = received.SelectMany(m => Messages.Pack(m).Packs).ToList();
        var cases = packs.Where(p => p.Level == "case").ToList();
        var pallets = packs.Where(p => p.Level == "pallet").ToList();
        Assert.Equal([4, 4, 2], cases.Select(c => c.Bottles.Count));
        Assert.Equal(TestGateway.Codes(10), cases.SelectMany(c => c.Bottles));
        Assert.Equal([2, 1], pallets.Select(p => p.Containers.Count));
        Assert.Equal(cases.Select(c => c.Container), pallets.SelectMany(p => p.Containers));
        Assert.All(packs, p => Assert.True(ContainerCode.TryParse(p.Container, out var code, out var error) && code.StartsWith("/00/", StringComparison.Ordinal), error));
        Assert.Equal(packs.Count, packs.Select(p => p.Container).Distinct().Count());
        var sequences = Messages.SealEvents(subscriber.Received.Snapshot()).Select(e => e.Sequence).Concat(packs.Select(p => p.Sequence)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), sequences);
    }

    [Theory]
    [InlineData("--pack-every", "0", "pack-every")]
    [InlineData("--pack-level", "pallet", "pack-level")]
    public void A_bad_packing_option_is_refused_naming_it(string option, string value, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => (_gateway.Options(1883, codes: 1) with
        {
            PackEvery = option == "--pack-every" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 2,
            PackLevel = option == "--pack-level" ? value : "case",
        }).Validate());
        Assert.Equal(name, error.ParamName);
    }
}

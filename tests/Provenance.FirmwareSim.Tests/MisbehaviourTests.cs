using Provenance.FirmwareSim.Nmea;
using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

/// <summary>Each misbehaviour switch produces what it says, as seen by the broker.</summary>
public sealed class MisbehaviourTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    /// <summary>GNSS only, until the broker acknowledged <paramref name="epochs"/> epochs; returns the GNSS messages.</summary>
    private async Task<List<string[]>> EpochsAsync(Func<SimulatorOptions, SimulatorOptions> misbehave, int epochs = 5)
    {
        await using var broker = await InProcessBroker.StartAsync(consume: true);
        var simulator = new GatewaySimulator(misbehave(_gateway.Options(broker.Port, codes: 0) with { GnssInterval = TimeSpan.FromMilliseconds(40) }));
        using var stop = new CancellationTokenSource();
        var run = simulator.RunAsync(stop.Token);
        await simulator.WhenAsync(c => c.MessagesAcked >= epochs, Timeout, $"{epochs} epochs acknowledged");
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        var gnss = broker.Published.Snapshot().Where(m => m.IsGnss).ToList();
        Assert.True(gnss.Count >= epochs);
        Assert.All(gnss, m => Assert.True(Messages.Verifies(m, _gateway.PublicKey)));
        return [.. gnss.Select(m => NmeaCheck.Sentences(Messages.Gnss(m).Nmea).ToArray())];
    }

    private async Task<IReadOnlyList<ReceivedMessage>> SealsAsync(Func<SimulatorOptions, SimulatorOptions> misbehave, int codes)
    {
        await using var broker = await InProcessBroker.StartAsync(consume: true);
        var result = await new GatewaySimulator(misbehave(_gateway.Options(broker.Port, codes))).RunAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        return broker.Published.Snapshot();
    }

    [Fact]
    public async Task Trace_sends_a_valid_distinct_W3C_traceparent_with_every_publish_and_without_it_none()
    {
        var traced = await SealsAsync(o => o with { Trace = true }, codes: 30);
        var seals = traced.Where(m => m.IsSeal).ToList();
        Assert.NotEmpty(seals);
        Assert.All(seals, m => Assert.True(System.Diagnostics.ActivityContext.TryParse(m.TraceParent, null, out _), $"'{m.TraceParent}' is no W3C traceparent"));
        Assert.Equal(seals.Count, seals.Select(m => m.TraceParent).Distinct().Count());

        var plain = await SealsAsync(o => o, codes: 30);
        Assert.All(plain, m => Assert.Null(m.TraceParent));
    }

    [Fact]
    public async Task Off_site_reports_a_position_about_50_km_from_the_site()
    {
        var epochs = await EpochsAsync(o => o with { OffSite = true });
        Assert.All(epochs, e =>
        {
            var (lat, lon) = NmeaCheck.GgaPosition(e[0]);
            Assert.InRange(NmeaCheck.Haversine(TestGateway.Latitude, TestGateway.Longitude, lat, lon), GnssReceiverModel.OffSiteDistanceMetres - 50, GnssReceiverModel.OffSiteDistanceMetres + 50);
        });
    }

    [Fact]
    public async Task Frozen_reports_identical_coordinates_every_epoch_while_the_normal_receiver_wanders()
    {
        static string Coordinates(string[] epoch) => string.Join(',', NmeaCheck.Fields(epoch[0])[1..5]);
        var frozen = await EpochsAsync(o => o with { Frozen = true });
        Assert.Single(frozen.Select(Coordinates).Distinct());
        Assert.Single(frozen.Select(e => string.Join(',', NmeaCheck.Fields(e[1])[2..6])).Distinct());
        Assert.True(frozen.Select(e => NmeaCheck.Fields(e[0])[0]).Distinct().Count() > 1, "time still advances");

        var normal = await EpochsAsync(o => o);
        Assert.True(normal.Select(Coordinates).Distinct().Count() > 1, "a normal receiver's position wanders");
    }

    [Fact]
    public async Task Simulation_mode_marks_RMC_mode_S_and_GGA_quality_8()
    {
        var epochs = await EpochsAsync(o => o with { SimulationMode = true });
        Assert.All(epochs, e =>
        {
            Assert.Equal("8", NmeaCheck.Fields(e[0])[5]);
            Assert.Equal("S", NmeaCheck.Fields(e[1])[11]);
            Assert.All(e, s => Assert.True(NmeaCheck.HasValidChecksum(s), s));
        });
    }

    [Fact]
    public async Task Corrupt_nmea_puts_bad_checksums_in_every_epoch_and_truncated_sentences_in_the_stream()
    {
        var epochs = await EpochsAsync(o => o with { CorruptNmea = true }, epochs: 8);
        Assert.All(epochs, e => Assert.Contains(e, s => !NmeaCheck.HasValidChecksum(s)));
        Assert.Contains(epochs.SelectMany(e => e), s => !s.Contains('*', StringComparison.Ordinal));
        Assert.Contains(epochs.SelectMany(e => e), s => s.Contains('*', StringComparison.Ordinal) && !NmeaCheck.HasValidChecksum(s));
        Assert.All(epochs, e => Assert.Contains(e, NmeaCheck.HasValidChecksum));
    }

    [Fact]
    public async Task Replay_resends_earlier_events_with_the_same_ids_in_new_messages()
    {
        var published = await SealsAsync(o => o with { Replay = true }, codes: 20);
        var seals = published.Where(m => m.IsSeal).Select(Messages.Seal).ToList();
        var occurrences = seals.SelectMany(s => s.Events.Select(e => (e.EventId, e.Sequence, e.Tag, Message: s))).GroupBy(x => x.EventId).ToList();
        Assert.Equal(20, occurrences.Count);
        var replayed = occurrences.Where(g => g.Count() == 2).ToList();
        Assert.Equal(15, replayed.Count);
        Assert.All(replayed, g =>
        {
            Assert.Single(g.Select(x => (x.Sequence, x.Tag)).Distinct());
            Assert.NotSame(g.First().Message, g.Last().Message);
        });
        Assert.Equal(seals.Count, published.Where(m => m.IsSeal).Select(m => m.Payload).Distinct().Count());
    }

    [Fact]
    public async Task Forge_signs_with_a_key_that_fails_verification_with_the_gateway_key()
    {
        var published = await SealsAsync(o => o with { Forge = true }, codes: 10);
        Assert.Contains(published, m => m.IsSeal);
        Assert.Contains(published, m => m.IsStatus);
        Assert.All(published, m =>
        {
            Assert.Equal(TestGateway.GatewayId, Messages.Decode(m).KeyId);
            Assert.False(Messages.Verifies(m, _gateway.PublicKey), $"{m.Topic} must not verify with the real key");
        });
        Assert.Equal(10, Messages.SealEvents(published).Count);
    }

    [Fact]
    public async Task Duration_ends_a_gnss_only_run_with_its_own_outcome()
    {
        await using var broker = await InProcessBroker.StartAsync(consume: true);
        var options = _gateway.Options(broker.Port, codes: 0) with { GnssInterval = TimeSpan.FromMilliseconds(40), Duration = TimeSpan.FromMilliseconds(400) };
        var simulator = new GatewaySimulator(options);
        var gnssQueued = 0;
        simulator.MessageQueued += (_, e) => Interlocked.Increment(ref gnssQueued);
        var result = await simulator.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        // Whether the broker saw a message before the 400 ms ran out depends on how fast this machine connects;
        // that the run produced GNSS messages and then ended on its duration does not.
        Assert.Equal(SimulatorOutcome.DurationElapsed, result.Outcome);
        Assert.True(gnssQueued > 0, "no GNSS message was produced before the duration ended the run");
        Assert.Equal(0, result.SealsQueued);
    }

    [Fact]
    public async Task Seal_type_line_and_batch_size_are_as_configured()
    {
        var published = await SealsAsync(o => o with { SealType = "cork", LineId = "line-9", Batch = 4 }, codes: 10);
        var seals = published.Where(m => m.IsSeal).Select(Messages.Seal).ToList();
        Assert.Equal([4, 4, 2], seals.Select(s => s.Events.Count));
        Assert.All(seals.SelectMany(s => s.Events), e =>
        {
            Assert.Equal("cork", e.SealType);
            Assert.Equal("line-9", e.Line);
            Assert.Null(e.NfcUid);
        });
        Assert.All(seals, s => Assert.Equal(TestGateway.SiteId, s.SiteId));
        Assert.All(published, m => Assert.True(Messages.Verifies(m, _gateway.PublicKey), m.Topic));
    }
}

using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// Each misbehaviour switch of the gateway simulator ends in the dead-letter store or in a failed origin attestation
/// with the right reason, and the node keeps serving. One node, one gateway per misbehaviour.
/// </summary>
public sealed class MisbehaviourTests : IClassFixture<MisbehaviourTests.Node>
{
    private readonly Node _node;

    public MisbehaviourTests(Node node) => _node = node;

    public static TheoryData<string, string> AttestationCases => new()
    {
        { "off-site", "outside_geofence" },
        { "frozen", "frozen_coordinates" },
        { "simulation", "simulation_mode" },
    };

    [Theory]
    [MemberData(nameof(AttestationCases))]
    public async Task A_misbehaving_receiver_fails_origin_attestation_with_the_reason(string behaviour, string reason)
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync(behaviour, 5);
        using var key = Simulation.LoadKey(gateway);
        var options = Simulation.Options(_node.Provenance, gateway, urls, key) with
        {
            OffSite = behaviour == "off-site",
            Frozen = behaviour == "frozen",
            SimulationMode = behaviour == "simulation",
        };
        await WarmUpGnssAsync(options);
        await Simulation.RunAsync(options, TimeSpan.FromSeconds(60));

        foreach (var url in urls)
        {
            var scan = await _node.Provenance.ScanAsync(url);
            var attestation = scan.GetProperty("origin").GetProperty("attestation");
            Assert.False(attestation.GetProperty("attested").GetBoolean());
            Assert.Contains(reason, attestation.GetProperty("failures").EnumerateArray().Select(f => f.GetString()));
        }

        await _node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_forged_signature_goes_to_the_dead_letter_store()
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync("forge", 3);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "bad_signature");

        await Simulation.RunAsync(Simulation.Options(_node.Provenance, gateway, urls, key) with { Forge = true }, TimeSpan.FromSeconds(60));

        Assert.True(SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "bad_signature") > before);
        foreach (var url in urls)
        {
            Assert.Equal("not_sealed", (await _node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        await _node.AssertStillServingAsync();
    }

    [Fact]
    public async Task Corrupted_nmea_goes_to_the_dead_letter_store_and_good_sentences_still_count()
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync("corrupt", 3);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "bad_nmea");

        var options = Simulation.Options(_node.Provenance, gateway, urls, key) with { CorruptNmea = true };
        await WarmUpGnssAsync(options);
        await Simulation.RunAsync(options, TimeSpan.FromSeconds(60));

        Assert.True(SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "bad_nmea") > before);
        Assert.Equal("authentic", (await _node.Provenance.ScanAsync(urls[0])).GetProperty("verdict").GetString());
        await _node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_poison_message_mid_stream_is_dead_lettered_and_the_gateways_later_seals_all_land()
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync("poison", 30);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "malformed");

        // The store-and-forward queue holds 6 seal messages and, after the first two, the poison ones ("events": null, then [null]).
        var result = await Simulation.RunAsync(Simulation.Options(_node.Provenance, gateway, urls, key) with { Poison = true, Batch = 5 }, TimeSpan.FromSeconds(90));

        Assert.Equal(30, result.SealsAcked);
        Assert.Equal(0, result.Backlog);
        Assert.Equal(before + 2, SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), "malformed"));
        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await _node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        await _node.AssertStillServingAsync();
    }

    [Fact]
    public async Task Replayed_events_are_absorbed_and_stored_once()
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync("replay", 20);
        using var key = Simulation.LoadKey(gateway);
        var before = (await _node.Provenance.HealthAsync()).GetProperty("ingestion").GetProperty("duplicates").GetInt64();

        await Simulation.RunAsync(Simulation.Options(_node.Provenance, gateway, urls, key) with { Replay = true }, TimeSpan.FromSeconds(60));

        var health = await _node.Provenance.HealthAsync();
        Assert.True(health.GetProperty("ingestion").GetProperty("duplicates").GetInt64() >= before + 10);
        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await _node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }
    }

    private static async Task WarmUpGnssAsync(SimulatorOptions options)
    {
        // A few GNSS epochs before any seal, so the history the checks need exists.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await new GatewaySimulator(options with { Codes = [], Duration = TimeSpan.FromSeconds(1.5) }, TextWriter.Null).RunAsync(cts.Token);
    }

    /// <summary>One running node shared by the misbehaviour cases.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private readonly SemaphoreSlim _cli = new(1);

        public ProvenanceNode Provenance { get; } = new();

        public async Task InitializeAsync()
        {
            await Provenance.SetUpAsync("gw-base");
            await Provenance.StartAsync();
        }

        public async Task<(GatewayCredentials Gateway, IReadOnlyList<string> Urls)> GatewayWithCodesAsync(string name, int codes)
        {
            await _cli.WaitAsync();
            try
            {
                var gateway = await Provenance.AddGatewayAsync($"gw-{name}");
                var (_, urls) = await Provenance.IssueAsync(codes, lot: name.Length > 20 ? name[..20] : name);
                return (gateway, urls);
            }
            finally
            {
                _cli.Release();
            }
        }

        public async Task AssertStillServingAsync()
        {
            Assert.False(Provenance.Host!.HasExited);
            using var ready = await Provenance.Http.GetAsync("/health/ready");
            Assert.True(ready.IsSuccessStatusCode);
        }

        public async Task DisposeAsync()
        {
            await Provenance.DisposeAsync();
            _cli.Dispose();
        }
    }
}

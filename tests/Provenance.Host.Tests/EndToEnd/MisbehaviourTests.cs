using System.Text.Json;
using Provenance.Api.Pages.Text;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Browser;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// Each misbehaviour switch of the gateway simulator ends in the dead-letter store or in a failed origin attestation,
/// and every kind of attestation failure reaches the consumer through the real path: simulator over MQTT → ingestion
/// → scan JSON (reasons, origin confidence, verdict) → the page in English and Chinese (headless Chromium) → the
/// producer's alert feed. One node, one gateway per misbehaviour.
/// </summary>
public sealed class MisbehaviourTests(MisbehaviourTests.Node node, Chromium chromium) : IClassFixture<MisbehaviourTests.Node>, IClassFixture<Chromium>
{
    /// <summary>Fix 700 m north of a 500 m fence's centre: outside it, but nearer than Verdicts:SuspectOriginMeters.</summary>
    private const double NearOutsideMetres = 700;

    public static TheoryData<string, string, string, string> AttestationCases => new()
    {
        // behaviour, failure, verdict, origin confidence
        { "no-fix", "no_fix", "authentic", "medium" },
        { "stale-fix", "stale_fix", "authentic", "medium" },
        { "poor-hdop", "poor_precision", "authentic", "medium" },
        { "few-satellites", "too_few_satellites", "authentic", "medium" },
        { "no-beidou", "no_beidou", "authentic", "medium" },
        { "near-outside", "outside_geofence", "authentic", "low" },
        { "off-site", "outside_geofence", "suspect_origin", "low" },
        { "frozen", "frozen_coordinates", "authentic", "low" },
        { "jump", "implausible_jump", "authentic", "low" },
        { "simulation", "simulation_mode", "authentic", "low" },
    };

    [Theory]
    [MemberData(nameof(AttestationCases))]
    public async Task A_misbehaving_receiver_reaches_the_scan_the_page_in_both_languages_and_the_alert_feed(string behaviour, string failure, string verdict, string confidence)
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync(behaviour, 3);
        using var key = Simulation.LoadKey(gateway);
        var options = Simulation.Options(node.Provenance, gateway, urls, key) with
        {
            OffSite = behaviour == "off-site",
            Frozen = behaviour == "frozen",
            SimulationMode = behaviour == "simulation",
            PoorHdop = behaviour == "poor-hdop",
            FewSatellites = behaviour == "few-satellites",
            NoBeiDou = behaviour == "no-beidou",
            Jump = behaviour == "jump",
            StaleFix = behaviour == "stale-fix" ? TimeSpan.FromMinutes(2) : TimeSpan.Zero,
            GnssInterval = behaviour == "no-fix" ? TimeSpan.Zero : TimeSpan.FromMilliseconds(200),
            Latitude = ProvenanceNode.SiteLat + (behaviour == "near-outside" ? NearOutsideMetres / 111_320 : 0),
        };
        if (behaviour != "no-fix")
        {
            await WarmUpGnssAsync(options);
        }

        if (behaviour == "jump")
        {
            await EndOnAFixAtHomeAsync(options);
        }

        // The jumps happened while warming up, and the last epoch was at home; sealing without new epochs keeps it the latest
        // fix, so the verdict does not depend on how many warm-up epochs a loaded machine managed to send.
        await Simulation.RunAsync(behaviour == "jump" ? options with { GnssInterval = TimeSpan.Zero } : options, TimeSpan.FromSeconds(60));

        foreach (var url in urls)
        {
            var scan = await node.Provenance.ScanAsync(url);
            Assert.Equal(verdict, scan.GetProperty("verdict").GetString());
            Assert.Equal(confidence, scan.GetProperty("originConfidence").GetString());
            var reasons = ApiCalls.Reasons(scan);
            Assert.Contains("origin_not_attested", reasons);
            Assert.Contains(failure, reasons);
            var attestation = scan.GetProperty("origin").GetProperty("attestation");
            Assert.False(attestation.GetProperty("attested").GetBoolean());
            Assert.Contains(failure, attestation.GetProperty("failures").EnumerateArray().Select(f => f.GetString()));
        }

        foreach (var (language, text) in new[] { ("en", PageText.English), ("zh-CN", PageText.SimplifiedChinese) })
        {
            await using var context = await chromium.PhoneAsync(language, timezoneId: "Asia/Shanghai");
            var page = await context.NewPageAsync();
            await page.GotoAsync(urls[0]);
            await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", verdict);
            await Expect(page.Locator("#verdict-checks")).ToContainTextAsync(text[$"reason.{failure}"]);
            await Expect(page.Locator("#origin-check")).ToContainTextAsync(text[$"failure.{failure}"]);
            var sentence = verdict == "suspect_origin" ? "verdict.suspect_origin.sentenceFar"
                : confidence == "medium" ? "verdict.authentic.unconfirmed" : "verdict.authentic.unconfirmedDoubt";
            await Expect(page.Locator("#verdict-sentence")).ToContainTextAsync(text[sentence][^12..]);
            await PageChecks.AssertPlainWordsAsync(page, text, "Asia/Shanghai");
            await Chromium.ScreenshotAsync(page, $"origin-{behaviour}-{language}-phone");
        }

        var alert = await node.WaitForOriginAlertAsync(gateway.GatewayId);
        Assert.Contains(failure, alert.GetProperty("detail").GetProperty("failures").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(confidence == "medium", alert.GetProperty("detail").GetProperty("benign").GetBoolean());
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_gateway_that_keeps_sealing_off_site_raises_one_alert_per_interval_not_one_per_seal()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("repeat", 20);
        using var key = Simulation.LoadKey(gateway);
        var options = Simulation.Options(node.Provenance, gateway, urls, key) with { OffSite = true, Batch = 2 };
        await WarmUpGnssAsync(options);
        await Simulation.RunAsync(options, TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(node.Provenance);

        // The monitor reads the journal in order: once a later gateway's alert is there, every seal above was considered.
        var (sentinel, sentinelUrls) = await node.GatewayWithCodesAsync("sentinel", 1);
        using var sentinelKey = Simulation.LoadKey(sentinel);
        await Simulation.RunAsync(Simulation.Options(node.Provenance, sentinel, sentinelUrls, sentinelKey) with { GnssInterval = TimeSpan.Zero }, TimeSpan.FromSeconds(60));
        await node.WaitForOriginAlertAsync(sentinel.GatewayId);

        Assert.Equal("suspect_origin", (await node.Provenance.ScanAsync(urls[^1])).GetProperty("verdict").GetString());
        var alerts = await node.OriginAlertsAsync(gateway.GatewayId);
        var only = Assert.Single(alerts);
        Assert.Equal(1, only.GetProperty("detail").GetProperty("sealsSincePreviousAlert").GetInt32());
    }

    [Fact]
    public async Task A_forged_signature_goes_to_the_dead_letter_store()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("forge", 3);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_signature");

        await Simulation.RunAsync(Simulation.Options(node.Provenance, gateway, urls, key) with { Forge = true }, TimeSpan.FromSeconds(60));

        Assert.True(SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_signature") > before);
        foreach (var url in urls)
        {
            Assert.Equal("not_sealed", (await node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task Corrupted_nmea_goes_to_the_dead_letter_store_and_good_sentences_still_count()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("corrupt", 3);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_nmea");

        var options = Simulation.Options(node.Provenance, gateway, urls, key) with { CorruptNmea = true };
        await WarmUpGnssAsync(options);
        await Simulation.RunAsync(options, TimeSpan.FromSeconds(60));

        Assert.True(SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_nmea") > before);
        Assert.Equal("authentic", (await node.Provenance.ScanAsync(urls[0])).GetProperty("verdict").GetString());
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_poison_message_mid_stream_is_dead_lettered_and_the_gateways_later_seals_all_land()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("poison", 30);
        using var key = Simulation.LoadKey(gateway);
        var before = SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "malformed");

        // The store-and-forward queue holds 6 seal messages and, after the first two, the poison ones ("events": null, then [null]).
        var result = await Simulation.RunAsync(Simulation.Options(node.Provenance, gateway, urls, key) with { Poison = true, Batch = 5 }, TimeSpan.FromSeconds(90));

        Assert.Equal(30, result.SealsAcked);
        Assert.Equal(0, result.Backlog);
        Assert.Equal(before + 2, SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "malformed"));
        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task Replayed_events_are_absorbed_and_stored_once()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("replay", 20);
        using var key = Simulation.LoadKey(gateway);
        var before = (await node.Provenance.HealthAsync()).GetProperty("ingestion").GetProperty("duplicates").GetInt64();

        await Simulation.RunAsync(Simulation.Options(node.Provenance, gateway, urls, key) with { Replay = true }, TimeSpan.FromSeconds(60));

        var health = await node.Provenance.HealthAsync();
        Assert.True(health.GetProperty("ingestion").GetProperty("duplicates").GetInt64() >= before + 10);
        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await node.Provenance.ScanAsync(url)).GetProperty("verdict").GetString());
        }
    }

    private static async Task WarmUpGnssAsync(SimulatorOptions options)
    {
        // A few GNSS epochs before any seal, so the history the checks need exists.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await new GatewaySimulator(options with { Codes = [], Duration = TimeSpan.FromSeconds(1.5) }, TextWriter.Null).RunAsync(cts.Token);
    }

    private static async Task EndOnAFixAtHomeAsync(SimulatorOptions options)
    {
        // A timed warm-up of a jumping receiver ends on a 5 km epoch whenever its epoch count is 2 modulo 4 (fewer epochs get
        // out on a loaded machine). One acknowledged epoch at home after it makes the latest fix home; the jump stays in the
        // history the checks read (its last 10 fixes).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var acknowledged = false;
        var simulator = new GatewaySimulator(options with { Codes = [], Jump = false }, TextWriter.Null);
        simulator.MessageAcknowledged += (_, _) =>
        {
            acknowledged = true;
            cts.Cancel();
        };
        await simulator.RunAsync(cts.Token);
        Assert.True(acknowledged, "no GNSS epoch at home was acknowledged within 30 s");
    }

    /// <summary>One running node shared by the misbehaviour cases, with a producer key for the alert feed.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private readonly SemaphoreSlim _cli = new(1);

        public ProvenanceNode Provenance { get; } = new();

        public string ProducerKey { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            await Provenance.SetUpAsync("gw-base");
            ProducerKey = await ApiCalls.CreateKeyAsync(Provenance, "producer");
            await Provenance.StartAsync("--Api:ScansPerCodePerMinute=100000", "--OriginAlerts:PollInterval=00:00:00.100");
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

        public async Task<IReadOnlyList<JsonElement>> OriginAlertsAsync(string gatewayId)
        {
            var page = await ApiCalls.JsonAsync(Provenance, HttpMethod.Get, "/api/alerts?kind=origin_not_attested&limit=1000", ProducerKey);
            return [.. page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("detail").GetProperty("gatewayId").GetString() == gatewayId)];
        }

        /// <summary>Waits for the gateway's first origin alert (the monitor follows the journal off the request path).</summary>
        public async Task<JsonElement> WaitForOriginAlertAsync(string gatewayId)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                if ((await OriginAlertsAsync(gatewayId)) is [var first, ..])
                {
                    return first;
                }

                await Task.Delay(100, timeout.Token);
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

using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Browser;

/// <summary>
/// A node holding one code in each verdict, made through public interfaces: CLI set-up, the real gateway simulator
/// over MQTT (at the plant, with a stale receiver, 50 km away), the producer and distributor HTTP API, and scans.
/// </summary>
public sealed class VerdictGalleryFixture : IAsyncLifetime
{
    private static readonly object GuizhouRegion = new { polygons = new[] { new[] { new[] { 24.6, 103.6 }, new[] { 24.6, 109.6 }, new[] { 29.2, 109.6 }, new[] { 29.2, 103.6 } } } };

    public ProvenanceNode Node { get; } = new();

    /// <summary>Gallery name → (URL, verdict the page must show).</summary>
    public Dictionary<string, (string Url, string Verdict)> Codes { get; } = [];

    public async Task InitializeAsync()
    {
        var plant = await Node.SetUpAsync();
        var stale = await Node.AddGatewayAsync("gw-stale");
        var away = await Node.AddGatewayAsync("gw-away");
        var (_, urls) = await Node.IssueAsync(8);
        var (_, staleUrls) = await Node.IssueAsync(1, "L2");
        var (_, awayUrls) = await Node.IssueAsync(1, "L3");
        var (_, unsealed) = await Node.IssueAsync(1, "L4");
        var producer = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy, "--Api:ScansPerCodePerMinute=100000");

        await SealAsync(plant, urls, o => o);
        await SealAsync(stale, staleUrls, o => o with { StaleFix = TimeSpan.FromMinutes(3) });
        await SealAsync(away, awayUrls, o => o with { OffSite = true });
        await SealToVerdictTests.WaitForLedgerAsync(Node);

        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/recalls", producer, new { tags = new[] { urls[1] }, reason = "glass fragments" });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/voids", producer, new { tags = new[] { urls[2] }, reason = "misprint" });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/opened", producer, new { tags = new[] { urls[3] }, source = "nfc", at = DateTimeOffset.UtcNow.AddMinutes(-5) });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/distributors", producer, new { id = "d-gallery", name = "Guizhou Wines", country = "CN", region = GuizhouRegion });
        await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/shipments", producer, new { distributorId = "d-gallery", tags = new[] { urls[5] } });
        // Evidence counts per network identity: two clients place the bottle in Shanghai, outside its Guizhou region.
        await ApiCalls.ScanAsync(Node, urls[5], "198.51.100.5", lat: 31.23, lon: 121.47, acc: 30);
        await ApiCalls.ScanAsync(Node, urls[5], "203.0.113.5", lat: 31.24, lon: 121.48, acc: 30);
        await ApiCalls.WaitForScansAsync(Node, producer, urls[5], 2);

        // Impossible travel: Guiyang, then Harbin (about 2,300 km) moments later, from two network identities.
        await ApiCalls.ScanAsync(Node, urls[4], "198.51.100.4", lat: 26.65, lon: 106.63, acc: 20);
        await ApiCalls.ScanAsync(Node, urls[4], "203.0.113.4", lat: 45.80, lon: 126.53, acc: 20);
        await ApiCalls.WaitForScansAsync(Node, producer, urls[4], 2);

        var mac = urls[6].IndexOf("m=", StringComparison.Ordinal) + 2;
        var codes = new CodeAuthenticator(CodeKeyFile.Load(Node.DataDirectory, new CodeOptions()));
        Codes["authentic"] = (urls[0], "authentic");
        Codes["authentic_unconfirmed"] = (staleUrls[0], "authentic");
        Codes["suspect_origin"] = (awayUrls[0], "suspect_origin");
        Codes["counterfeit"] = (urls[6][..mac] + (urls[6][mac] == 'A' ? 'B' : 'A') + urls[6][(mac + 1)..], "counterfeit");
        Codes["unknown"] = (codes.Sign(DigitalLink.ForTag(Node.Authority, Gtin.Parse(ProvenanceNode.Gtin), "NEVERISSUED42", "L1", "http")), "unknown");
        Codes["not_sealed"] = (unsealed[0], "not_sealed");
        Codes["recalled"] = (urls[1], "recalled");
        Codes["void"] = (urls[2], "void");
        Codes["opened"] = (urls[3], "opened");
        Codes["suspect_clone"] = (urls[4], "suspect_clone");
        Codes["diverted"] = (urls[5], "diverted");
    }

    private async Task SealAsync(GatewayCredentials gateway, IReadOnlyList<string> urls, Func<FirmwareSim.SimulatorOptions, FirmwareSim.SimulatorOptions> misbehave)
    {
        using var key = Simulation.LoadKey(gateway);
        var options = misbehave(Simulation.Options(Node, gateway, urls, key));
        await Simulation.RunGnssOnlyAsync(options, TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(options, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

using System.Security.Cryptography;
using Provenance.FirmwareSim;

namespace Provenance.Host.Tests.Support;

/// <summary>Runs the real gateway simulator in-process against a node's embedded broker.</summary>
internal static class Simulation
{
    public static SimulatorOptions Options(ProvenanceNode node, GatewayCredentials gateway, IReadOnlyList<string> codes, ECDsa key) => new()
    {
        Key = key,
        SiteId = gateway.SiteId,
        GatewayId = gateway.GatewayId,
        Latitude = ProvenanceNode.SiteLat,
        Longitude = ProvenanceNode.SiteLon,
        Codes = codes,
        Rate = 0,
        Batch = 10,
        Host = "127.0.0.1",
        Port = node.MqttPort,
        Username = gateway.GatewayId,
        Password = gateway.Secret,
        ProgressInterval = TimeSpan.Zero,
        GnssInterval = TimeSpan.FromMilliseconds(200),
        Seed = 7,
    };

    public static ECDsa LoadKey(GatewayCredentials gateway)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(gateway.KeyPath));
        return key;
    }

    public static async Task<SimulatorResult> RunAsync(SimulatorOptions options, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var result = await new GatewaySimulator(options, TextWriter.Null).RunAsync(cts.Token);
        Assert.True(result.Outcome == SimulatorOutcome.Completed, $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged");
        return result;
    }

    /// <summary>Runs the simulator without codes for <paramref name="duration"/>: GNSS only, so that later seals have fixes to be attested against.</summary>
    public static async Task RunGnssOnlyAsync(SimulatorOptions options, TimeSpan duration)
    {
        using var cts = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var result = await new GatewaySimulator(options with { Codes = [], Duration = duration }, TextWriter.Null).RunAsync(cts.Token);
        Assert.True(result.Outcome == SimulatorOutcome.DurationElapsed, $"GNSS-only simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged");
    }
}

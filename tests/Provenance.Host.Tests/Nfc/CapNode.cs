using System.Text.Json;
using Provenance.Core.Nfc;
using Provenance.FirmwareSim.Cli;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Nfc;

/// <summary>
/// A node whose bottles carry NFC caps, set up as a producer would: a reel UID list, <c>tags issue --nfc</c> for the
/// encoding file, and the real gateway simulator sealing 14 codes over MQTT with chips 1..14 of the file as
/// <c>nfcUid</c>; chips 15 and 16 are encoded but never fitted. Taps come from the simulator's tap emulator, with the
/// keys of the encoding file. Each test uses its own chip, and each tap its own read counter.
/// </summary>
public sealed class CapNode : IAsyncLifetime
{
    public const int Sealed = 14;

    public ProvenanceNode Node { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public NfcEncodingFile Encoding { get; private set; } = null!;

    public string EncodingPath { get; private set; } = string.Empty;

    public string IssueOutput { get; private set; } = string.Empty;

    public IReadOnlyList<string> Codes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var gateway = await Node.SetUpAsync();
        var reel = Path.Combine(Node.WorkDirectory, "reel-uids.txt");
        await File.WriteAllLinesAsync(reel, ["# reel 1 of the inlay supplier", .. Enumerable.Range(1, Sealed + 2).Select(i => $"04:5A:{i:X2}:11:22:33:80")]);
        var labels = Path.Combine(Node.WorkDirectory, "labels-nfc");
        IssueOutput = await Node.CliAsync("tags", "issue", "--gtin", ProvenanceNode.Gtin, "--lot", "N1", "--count", Sealed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", labels, "--domain", Node.Authority, "--scheme", "http", "--no-images", "--nfc", "--chips", reel);
        EncodingPath = Directory.GetFiles(labels, "nfc-batch-*.json").Single();
        Encoding = NfcChipFile.Load(EncodingPath);
        Codes = File.ReadLines(Directory.GetFiles(labels, "*.csv").Single()).Skip(1).Select(l => l.Split(',')[0]).ToList();
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy, "--Api:ScansPerCodePerMinute=100000");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(Node, gateway, Codes, key) with { NfcUids = [.. Encoding.Chips.Select(c => c.Uid)] }, TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
    }

    /// <summary>The URL of tap number <paramref name="counter"/> of chip <paramref name="chip"/> (0-based).</summary>
    public string TapUrl(int chip, int counter, TamperStatus tamper = TamperStatus.Closed) =>
        TapCommand.Urls(Encoding, chip, counter, 1, tamper).Single();

    /// <summary>Opens <paramref name="url"/> as a phone would, asking for JSON.</summary>
    public async Task<JsonElement> TapAsync(string url) => await ApiCalls.ScanAsync(Node, url);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Nfc;
using Provenance.FirmwareSim.Cli;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Storage;

namespace Provenance.Demo;

/// <summary>
/// The NFC caps of <c>serve --demo</c>: the first three demo bottles get NTAG 424 DNA TagTamper caps (an encoding
/// file in DATA/demo/labels, as <c>tags issue --nfc</c> writes it), the simulated line binds them when it seals those
/// bottles, and once they are sealed the demo prints one emulated tap per cap: loop closed, open, and opened once.
/// Each start prints taps with read counters above the last accepted, so they verify as fresh.
/// </summary>
internal sealed class NfcDemo
{
    private static readonly (TamperStatus Tamper, string Label)[] Taps =
    [
        (TamperStatus.Closed, "cap sealed"),
        (TamperStatus.Open, "cap open"),
        (TamperStatus.WasOpened, "cap opened once"),
    ];

    private readonly NfcEncodingFile _file;
    private readonly Dictionary<string, string> _uidByCode;
    private readonly NfcTapStore _taps;

    private NfcDemo(NfcEncodingFile file, Dictionary<string, string> uidByCode, NfcTapStore taps)
    {
        _file = file;
        _uidByCode = uidByCode;
        _taps = taps;
    }

    /// <summary>How many bottles get caps.</summary>
    public static int Caps => Taps.Length;

    /// <summary>Loads the demo's encoding file, creating it (and the NFC master key) on the first start.</summary>
    public static NfcDemo Prepare(IServiceProvider services, string demoDir, IReadOnlyList<string> urls, DemoSetup.DemoCodes codes)
    {
        var path = Path.Combine(demoDir, "labels", "nfc-demo.json");
        if (!File.Exists(path))
        {
            var keys = services.GetRequiredService<NfcKeyRing>();
            var link = DigitalLink.TryParse(urls[0], out var parsed, out _) ? parsed! : throw new InvalidOperationException($"demo code {urls[0]} does not parse");
            var uids = Enumerable.Range(1, Caps).Select(i => $"04DE{i:X2}0000DE80").ToList();
            var file = NfcEncodingFile.Create(keys, new SunUrlLayout(codes.Scheme, codes.Domain, keys.CurrentKeyId), 0, link.Gtin!.Value.Value, link.Lot, uids);
            SecretFile.TryCreate(path, JsonSerializer.Serialize(file, NfcJsonContext.Default.NfcEncodingFile));
        }

        var loaded = NfcChipFile.Load(path);
        var uidByCode = urls.Take(Caps).Zip(loaded.Chips, (url, chip) => (url, chip.Uid)).ToDictionary(p => p.url, p => p.Uid, StringComparer.Ordinal);
        return new NfcDemo(loaded, uidByCode, services.GetRequiredService<NfcTapStore>());
    }

    /// <summary>The chip UIDs for the simulator, paired in order with <paramref name="unsealed"/> (the caps' bottles come first).</summary>
    public IReadOnlyList<string> UidsFor(IReadOnlyList<string> unsealed) =>
        [.. unsealed.TakeWhile(_uidByCode.ContainsKey).Select(url => _uidByCode[url])];

    /// <summary>Prints one tap URL per cap, each with a read counter above its chip's last accepted one.</summary>
    public void PrintTaps(TextWriter output)
    {
        for (var i = 0; i < Taps.Length; i++)
        {
            var counter = (_taps.Find(_file.Chips[i].Uid)?.LastCounter ?? 0) + 1;
            output.WriteLine($"tap ({Taps[i].Label}): {TapCommand.Urls(_file, i, counter, 1, Taps[i].Tamper)[0]}");
        }
    }
}

using System.Globalization;
using System.Text;
using Provenance.Core.Nfc;

namespace Provenance.FirmwareSim.Cli;

/// <summary>
/// <c>firmware-sim tap</c>: emulates taps of NFC caps encoded from a cap encoding file, printing the URL a phone
/// would open for each tap (the same keys as the chips, so the URLs verify), with a chosen tamper state.
/// </summary>
public static class TapCommand
{
    public static string Help() => new StringBuilder()
        .AppendLine("firmware-sim tap — print the Secure Unique NFC URLs of emulated cap taps.")
        .AppendLine()
        .AppendLine("usage: firmware-sim tap --nfc-chips FILE [--chip N | --uid UID] [--counter N] [--count N] [--tamper CC|OC|OO|II|none]")
        .AppendLine()
        .AppendLine("  --nfc-chips FILE         cap encoding file written by 'provenance tags issue --nfc' (required)")
        .AppendLine("  --chip N                 the N-th chip of the file, from 1 (default: 1)")
        .AppendLine("  --uid UID                the chip with this UID instead")
        .AppendLine("  --counter N              read counter of the first tap (default: 1); a real chip counts up by one per tap")
        .AppendLine("  --count N                how many successive taps (default: 1)")
        .AppendLine("  --tamper STATE           tamper loop: CC closed, OC was opened, OO open, II not initialised, none (default: CC)")
        .AppendLine()
        .AppendLine("Exit codes: 0 printed; 2 bad arguments or file.")
        .ToString();

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Any(a => a is "--help" or "-h"))
        {
            stdout.Write(Help());
            return 0;
        }

        try
        {
            var (file, chip, counter, count, tamper) = Parse(args);
            foreach (var url in Urls(file, chip, counter, count, tamper))
            {
                stdout.WriteLine(url);
            }

            return 0;
        }
        catch (CommandLineException e)
        {
            stderr.WriteLine($"firmware-sim tap: {e.Message}");
            return 2;
        }
    }

    /// <summary>The URLs of <c>count</c> successive taps of one chip of <paramref name="file"/>.</summary>
    public static IReadOnlyList<string> Urls(NfcEncodingFile file, int chipIndex, int firstCounter, int count, TamperStatus tamper)
    {
        ArgumentNullException.ThrowIfNull(file);
        var chip = file.Chips[chipIndex];
        var template = new Uri(file.UrlTemplate);
        var layout = new SunUrlLayout(template.Scheme, template.Authority, file.KeyId);
        var emulator = new TapEmulator(file.KeyId, chip.Uid, Convert.FromHexString(chip.Keys[NfcKeyRing.SdmMetaReadKeyNumber]), Convert.FromHexString(chip.Keys[NfcKeyRing.SdmFileReadKeyNumber]));
        return [.. Enumerable.Range(firstCounter, count).Select(counter => layout.Url(emulator.Tap(counter, tamper)))];
    }

    private static (NfcEncodingFile File, int Chip, int Counter, int Count, TamperStatus Tamper) Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new CommandLineException(null, $"unexpected argument '{args[i]}' (see tap --help)");
            if (name is not ("nfc-chips" or "chip" or "uid" or "counter" or "count" or "tamper"))
            {
                throw new CommandLineException(name, "unknown option (see tap --help)");
            }

            values[name] = i + 1 < args.Count ? args[i + 1] : throw new CommandLineException(name, "needs a value");
        }

        var file = NfcChipFile.Load(values.GetValueOrDefault("nfc-chips") ?? throw new CommandLineException("nfc-chips", "is required: the cap encoding file"));
        int chip;
        if (values.TryGetValue("uid", out var uid))
        {
            chip = file.Chips.ToList().FindIndex(c => string.Equals(c.Uid, uid, StringComparison.OrdinalIgnoreCase));
            if (chip < 0)
            {
                throw new CommandLineException("uid", $"{uid} is not in the file");
            }
        }
        else
        {
            chip = Number(values, "chip", 1, 1, file.Chips.Count) - 1;
        }

        var counter = Number(values, "counter", 1, 0, SecureDynamicMessaging.MaxCounter);
        var count = Number(values, "count", 1, 1, 10_000);
        if (counter + count - 1 > SecureDynamicMessaging.MaxCounter)
        {
            throw new CommandLineException("count", "takes the read counter past its 24-bit limit");
        }

        var tamper = values.GetValueOrDefault("tamper", "CC").ToUpperInvariant() switch
        {
            "CC" => TamperStatus.Closed,
            "OC" => TamperStatus.WasOpened,
            "OO" => TamperStatus.Open,
            "II" => TamperStatus.NotInitialised,
            "NONE" => TamperStatus.Absent,
            var other => throw new CommandLineException("tamper", $"must be CC, OC, OO, II or none, got '{other}'"),
        };
        return (file, chip, counter, count, tamper);
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CommandLineException(name, $"must be a whole number from {min} to {max}, got '{text}'");
    }
}

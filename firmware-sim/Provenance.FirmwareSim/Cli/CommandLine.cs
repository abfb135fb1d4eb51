using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Provenance.FirmwareSim.Cli;

/// <summary>Parses <c>firmware-sim</c> arguments (System.CommandLine: <c>--name value</c>, <c>--name=value</c>, <c>@file</c>) into <see cref="SimulatorOptions"/>.</summary>
public static class CommandLine
{
    private static readonly OptionSpec[] Specs =
    [
        new("host", "HOST", "127.0.0.1", "MQTT broker host", (o, v) => o with { Host = v }),
        new("port", "N", "1883", "MQTT broker port", (o, v) => o with { Port = (int)Integer("port", v) }),
        new("username", "NAME", "the gateway id", "MQTT user name", (o, v) => o with { Username = v }),
        new("password", "SECRET", "none", "MQTT password: the gateway's secret on this broker (embedded broker: from 'gateways add'; mosquitto: from add-gateway.sh)", (o, v) => o with { Password = v }),
        new("trace", null, "off", "start a trace at every publish and send its W3C traceparent as an MQTT 5 user property (ingestion continues the trace)", (o, _) => o with { Trace = true }),
        new("tls", null, "off", "TLS to the broker; its certificate must name --host (DNS name or IP address)", (o, _) => o with { UseTls = true }),
        new("ca-file", "FILE", "system roots", "trust this CA (PEM or DER) for the broker's certificate; implies --tls", (o, v) => o with { CaFile = v, UseTls = true }),
        new("protocol", "provenance|iothub", "provenance", "iothub: speak Azure IoT Hub's device dialect (MQTT 3.1.1, SAS token, devices/{id}/messages/events); needs --connection-string", (o, v) => v switch
        {
            "provenance" => o,
            "iothub" => o with { IotHub = true },
            _ => throw new CommandLineException("protocol", $"must be provenance or iothub, got '{v}'"),
        }),
        new("connection-string", "TEXT", "none", "--protocol iothub: 'HostName={hub};GatewayHostName={server}:{port};DeviceId={gateway};SharedAccessKey={key}' as 'gateways add --auth sas' prints it (sets --host, --port, --gateway and TLS)", IotHubConnectionString.Apply),
        new("ack", "MODE", "auto", "when a message leaves the queue: ingestion (end-to-end, after ingestion's durable commit), broker (on PUBACK), or auto (end-to-end where the broker allows the acknowledgement subscription)", (o, v) => o with { Ack = AckModeValue(v) }),
        new("ack-timeout", "TIME", "30s", "end-to-end mode: send a message again when ingestion has not acknowledged it in this time", (o, v) => o with { AckTimeout = Duration("ack-timeout", v) }),
        new("window", "N", "32", "end-to-end mode: messages in flight awaiting ingestion's acknowledgement", (o, v) => o with { Window = (int)Integer("window", v) }),
        new("site", "ID", "plant-1", "site id", (o, v) => o with { SiteId = v }),
        new("gateway", "ID", "gw-1", "gateway id (also the MQTT client id and the JWS kid)", (o, v) => o with { GatewayId = v }),
        new("line", "ID", "line-1", "bottling line id", (o, v) => o with { LineId = v }),
        new("lat", "DEG", "27.8611", "antenna latitude (put the plant's, as given to 'sites add')", (o, v) => o with { Latitude = Number("lat", v) }),
        new("lon", "DEG", "106.3720", "antenna longitude", (o, v) => o with { Longitude = Number("lon", v) }),
        new("altitude", "M", "420", "antenna altitude above sea level, metres", (o, v) => o with { Altitude = Number("altitude", v) }),
        new("key", "FILE", "required", "PEM P-256 private key of the gateway (PKCS#8 or SEC1)", (o, _) => o),
        new("codes", "FILE", "none: GNSS only", "code list: CSV with a 'url' column, or one URL a line", (o, _) => o),
        new("count", "N", "all codes", "seal the first N codes of the list, then stop", (o, v) => o with { Count = Integer("count", v) }),
        new("rate", "R", "10", "seals per second (0 = as fast as possible)", (o, v) => o with { Rate = Number("rate", v) }),
        new("batch", "N", "10", "seal events per seal message", (o, v) => o with { Batch = (int)Integer("batch", v) }),
        new("pack-every", "N", "off", "close a container after every N sealed bottles and send a signed pack message binding them to it (SSCC codes)", (o, v) => o with { PackEvery = (int)Integer("pack-every", v) }),
        new("pack-level", "box|case", "case", "level of the containers --pack-every closes", (o, v) => o with { PackLevel = v }),
        new("pallet-every", "N", "off", "load every N containers of --pack-every onto a pallet (another pack message, level pallet)", (o, v) => o with { PalletEvery = (int)Integer("pallet-every", v) }),
        new("sscc-prefix", "DIGITS", "9506000", "GS1 company prefix of the containers' SSCCs", (o, v) => o with { SsccCompanyPrefix = v }),
        new("seal-type", "TYPE", "capsule", "seal type of every event", (o, v) => o with { SealType = v }),
        new("nfc", null, "off", "add a random NFC UID to every event", (o, _) => o with { Nfc = true }),
        new("nfc-chips", "FILE", "none", "cap encoding file (provenance tags issue --nfc): seal code i with chip i's UID", (o, _) => o),
        new("gnss-interval", "TIME", "1s", "time between GNSS epochs (0 = no GNSS: seals get no_fix)", (o, v) => o with { GnssInterval = Duration("gnss-interval", v) }),
        new("bd-talker", "GB|BD", "GB", "talker of BeiDou GSV sentences", (o, v) => o with { BeiDouTalker = v.ToUpperInvariant() }),
        new("duration", "TIME", "none", "stop after this long (exit 0), acknowledged or not", (o, v) => o with { Duration = Duration("duration", v) }),
        new("queue", "DIR", "a temporary directory", "store-and-forward queue directory; survives restarts", (o, v) => o with { QueueDirectory = v }),
        new("acked", "FILE", "none", "append the id of every acknowledged seal event to FILE", (o, v) => o with { AckedFile = v }),
        new("reconnect-max", "TIME", "2s", "longest wait between reconnection attempts", (o, v) => o with { ReconnectDelayMax = Duration("reconnect-max", v) }),
        new("progress", "TIME", "5s", "progress line interval on stderr (0 = none)", (o, v) => o with { ProgressInterval = Duration("progress", v) }),
        new("seed", "N", "random", "random seed for the GNSS noise", (o, v) => o with { Seed = (int)Integer("seed", v) }),
        new("off-site", null, "off", "misbehave: a position 50 km from --lat/--lon (outside_geofence; verdict suspect_origin)", (o, _) => o with { OffSite = true }),
        new("frozen", null, "off", "misbehave: identical coordinates every epoch (frozen_coordinates)", (o, _) => o with { Frozen = true }),
        new("simulation-mode", null, "off", "misbehave: RMC mode indicator S, GGA quality 8 (simulation_mode)", (o, _) => o with { SimulationMode = true }),
        new("replay", null, "off", "misbehave: re-send the previous seal events (same ids) as a new message", (o, _) => o with { Replay = true }),
        new("forge", null, "off", "misbehave: sign with a random key instead of --key", (o, _) => o with { Forge = true }),
        new("corrupt-nmea", null, "off", "misbehave: bad checksums and truncated sentences in every epoch", (o, _) => o with { CorruptNmea = true }),
        new("poor-hdop", null, "off", "misbehave: HDOP 6-9 (origin not attested: poor_precision)", (o, _) => o with { PoorHdop = true }),
        new("few-satellites", null, "off", "misbehave: 3 satellites used (too_few_satellites)", (o, _) => o with { FewSatellites = true }),
        new("no-beidou", null, "off", "misbehave: no BeiDou satellite used (no_beidou)", (o, _) => o with { NoBeiDou = true }),
        new("jump", null, "off", "misbehave: every 4th epoch 5 km away and back (implausible_jump)", (o, _) => o with { Jump = true }),
        new("stale-fix", "TIME", "off", "misbehave: GNSS epochs stamped this far in the past (stale_fix)", (o, v) => o with { StaleFix = Duration("stale-fix", v) }),
        new("poison", null, "off", "misbehave: after the first two seal messages, a signed one with \"events\": null, then [null]", (o, _) => o with { Poison = true }),
    ];

    /// <summary>The command System.CommandLine parses and documents: one option per <see cref="Specs"/> entry.</summary>
    private static readonly Command Root = ParsedOptions.Declare(
        new RootCommand("firmware-sim — a simulated line gateway: multi-GNSS NMEA, seal events, signed MQTT with store-and-forward.") { HelpName = "firmware-sim" },
        Specs.Select(s => (s.Name, s.Default.Length == 0 ? s.Help : $"{s.Help} (default: {s.Default})", s.IsFlag, s.Value)));

    /// <summary>The help text: usage, every option with its default (generated by System.CommandLine), TIME and the exit codes.</summary>
    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("usage: firmware-sim --key FILE [--codes FILE] [options]");
        text.AppendLine("       firmware-sim tap --nfc-chips FILE [options]   (emulate taps of NFC caps; tap --help)");
        text.AppendLine();
        text.Append(ParsedOptions.Help(Root));
        text.AppendLine("TIME is a number with a unit: 500ms, 1s, 2m, 1h (a bare number means seconds).");
        text.AppendLine("Options may also come from a response file: firmware-sim @gateway.rsp (split on spaces and lines).");
        text.AppendLine("Exit codes: 0 done (all acknowledged, or --duration over); 1 failed (an unreachable broker is retried, not a failure);");
        text.AppendLine("  2 bad arguments, or a --key or --codes file that cannot be used (e.g. a CSV without a 'url' column);");
        text.AppendLine("  3 not authorised by the broker (wrong --username or --password); 130 interrupted.");
        text.AppendLine("Each error ends in one line on stderr that says what to do.");
        return text.ToString();
    }

    /// <summary>Whether the arguments ask for help.</summary>
    public static bool WantsHelp(IReadOnlyList<string> args) =>
        args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>Parses the arguments, loads the key and code list; throws <see cref="CommandLineException"/> naming the option.</summary>
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var given = ParsedOptions.Read(Root, args, "see --help")
            .Select(g => (Spec: Array.Find(Specs, s => s.Name == g.Name)!, g.Value))
            .ToList();

        // Check every value before touching files, so a typo is reported before a missing key.
        using (var probeKey = Core.Signing.GatewayKeys.Create())
        {
            Apply(new SimulatorOptions { Key = probeKey }, given);
        }

        var keyPath = given.Find(g => g.Spec.Name == "key").Value ?? throw new CommandLineException("key", "is required: the gateway's PEM P-256 private key");
        var codesPath = given.Find(g => g.Spec.Name == "codes").Value;
        var codes = codesPath is null ? [] : CodeList.Load(codesPath);
        var chipsPath = given.Find(g => g.Spec.Name == "nfc-chips").Value;
        var nfcUids = chipsPath is null ? [] : NfcChipFile.Load(chipsPath).Chips.Select(c => c.Uid).ToList();
        var key = KeyFile.Load(keyPath);
        try
        {
            return Apply(new SimulatorOptions { Key = key, Codes = codes, NfcUids = nfcUids }, given);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static SimulatorOptions Apply(SimulatorOptions options, List<(OptionSpec Spec, string Value)> given)
    {
        try
        {
            foreach (var (spec, value) in given)
            {
                options = spec.Apply(options, value);
            }

            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.ParamName, e.Message.Split(" (Parameter", 2)[0].Replace($"--{e.ParamName} ", string.Empty, StringComparison.Ordinal));
        }

        return options;
    }

    private static AckMode AckModeValue(string text) => text.ToLowerInvariant() switch
    {
        "auto" => AckMode.Auto,
        "broker" => AckMode.Broker,
        "ingestion" => AckMode.Ingestion,
        _ => throw new CommandLineException("ack", $"must be auto, broker or ingestion, got '{text}'"),
    };

    private static double Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CommandLineException(option, $"must be a number, got '{text}'");

    private static long Integer(string option, string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= int.MinValue and <= int.MaxValue
            ? value
            : throw new CommandLineException(option, $"must be an integer, got '{text}'");

    /// <summary>Parses <c>500ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c> or a bare number of seconds.</summary>
    internal static TimeSpan Duration(string option, string text)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        var trimmed = text.Trim();
        var (number, scale) = (trimmed, 1.0);
        foreach (var (suffix, seconds) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                (number, scale) = (trimmed[..^suffix.Length], seconds);
                break;
            }
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? TimeSpan.FromSeconds(value * scale)
            : throw new CommandLineException(option, $"must be a duration like 500ms, 1s, 2m, got '{text}'");
    }
}

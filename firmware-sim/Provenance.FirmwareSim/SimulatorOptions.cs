using System.Security.Cryptography;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim;

/// <summary>Everything a <see cref="GatewaySimulator"/> run needs. Defaults match the command line's.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The gateway's P-256 private key; every message is signed with it (kid = <see cref="GatewayId"/>).</summary>
    public required ECDsa Key { get; init; }

    /// <summary>Site id (topic segment and payload field).</summary>
    public string SiteId { get; init; } = "plant-1";

    /// <summary>Gateway id: topic segment, JWS kid, MQTT client id and default user name.</summary>
    public string GatewayId { get; init; } = "gw-1";

    /// <summary>The bottling line the seal events come from.</summary>
    public string LineId { get; init; } = "line-1";

    /// <summary>Antenna latitude, degrees (default: the README's example plant in Renhuai, Guizhou).</summary>
    public double Latitude { get; init; } = DefaultLatitude;

    /// <summary>Antenna longitude, degrees.</summary>
    public double Longitude { get; init; } = DefaultLongitude;

    /// <summary>Antenna altitude above mean sea level, metres.</summary>
    public double Altitude { get; init; } = 420.0;

    /// <summary>The code list: Digital Link URIs, sealed in order.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>Seal only the first this-many codes (null: all). Counted from the start of the list across restarts on one queue.</summary>
    public long? Count { get; init; }

    /// <summary>Seals per second; 0 seals as fast as the queue takes them.</summary>
    public double Rate { get; init; } = 10;

    /// <summary>Seal events per seal message.</summary>
    public int Batch { get; init; } = 10;

    /// <summary>The seal type of every event.</summary>
    public string SealType { get; init; } = "capsule";

    /// <summary>
    /// Close a container after every this-many sealed bottles and send a <c>pack</c> message binding them to it (a
    /// last, partial container at the end of the run); null sends no pack messages.
    /// </summary>
    public int? PackEvery { get; init; }

    /// <summary>The level of the containers <see cref="PackEvery"/> closes: <c>box</c> or <c>case</c>.</summary>
    public string PackLevel { get; init; } = "case";

    /// <summary>Load every this-many containers onto a pallet (a pack message at level <c>pallet</c>); null: no pallets.</summary>
    public int? PalletEvery { get; init; }

    /// <summary>
    /// The GS1 company prefix (7–10 digits) of the SSCCs the simulator gives its containers; each run draws a random
    /// serial reference range so that runs do not reuse codes.
    /// </summary>
    public string SsccCompanyPrefix { get; init; } = "9506000";

    /// <summary>Add a random NFC UID (7-byte ISO 14443-A, hex) to every event.</summary>
    public bool Nfc { get; init; }

    /// <summary>
    /// Chip UIDs of NFC caps, paired in order with <see cref="Codes"/> (the line's reader reads each cap as it is
    /// fitted): code i is sealed with <c>nfcUid</c> = UID i. Codes past the end of the list get none (or a random one
    /// with <see cref="Nfc"/>).
    /// </summary>
    public IReadOnlyList<string> NfcUids { get; init; } = [];

    /// <summary>Time between GNSS epochs; <see cref="TimeSpan.Zero"/> sends no GNSS.</summary>
    public TimeSpan GnssInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The GSV talker for BeiDou: <c>GB</c> (NMEA 4.11) or <c>BD</c>.</summary>
    public string BeiDouTalker { get; init; } = "GB";

    /// <summary>Stop after this long even if not everything is sealed or acknowledged (null: no limit).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Broker host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker TCP port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>MQTT user name (null: the gateway id).</summary>
    public string? Username { get; init; }

    /// <summary>MQTT password: the gateway's secret (null: none).</summary>
    public string? Password { get; init; }

    /// <summary>TLS to the broker (the certificate must name <see cref="Host"/>: DNS name or IP address).</summary>
    public bool UseTls { get; init; }

    /// <summary>A CA certificate (PEM or DER) to trust for the broker's certificate besides the system roots; implies TLS.</summary>
    public string? CaFile { get; init; }

    /// <summary>The hub host name of <c>--protocol iothub</c> (from the connection string); null speaks Provenance's own topics.</summary>
    public string? IotHubHostName { get; init; }

    /// <summary>The IoT Hub device key (base64) the SAS tokens are signed with.</summary>
    public string? DeviceKey { get; init; }

    /// <summary>Whether the gateway speaks Azure IoT Hub's device dialect (<c>--protocol iothub</c>).</summary>
    public bool IotHub { get; init; }

    /// <summary>
    /// Whether every publish starts a trace: a <c>gateway.publish</c> span whose W3C context goes with the message as
    /// MQTT 5 user properties <c>traceparent</c>/<c>tracestate</c>, so that ingestion continues the trace. Not with
    /// <see cref="IotHub"/> (MQTT 3.1.1 has no user properties).
    /// </summary>
    public bool Trace { get; init; }

    /// <summary>When a message leaves the queue: on ingestion's end-to-end acknowledgement or on the broker's PUBACK.</summary>
    public AckMode Ack { get; init; } = AckMode.Auto;

    /// <summary>End-to-end mode: send a message again when ingestion has not acknowledged it within this time.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>End-to-end mode: messages published and not yet acknowledged by ingestion, at most.</summary>
    public int Window { get; init; } = 32;

    /// <summary>The store-and-forward queue directory (null: a temporary directory deleted when the run ends).</summary>
    public string? QueueDirectory { get; init; }

    /// <summary>A file that receives the event id of every acknowledged seal event, one per line (null: none).</summary>
    public string? AckedFile { get; init; }

    /// <summary>The longest wait between reconnection attempts (the wait doubles from 100 ms up to this).</summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often progress is written to the log; <see cref="TimeSpan.Zero"/> writes none.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Random seed for reproducible noise (null: random).</summary>
    public int? Seed { get; init; }

    /// <summary>Misbehaviour: report a position 50 km away from the site.</summary>
    public bool OffSite { get; init; }

    /// <summary>Misbehaviour: identical coordinates every epoch.</summary>
    public bool Frozen { get; init; }

    /// <summary>Misbehaviour: simulator fixes (RMC mode S, GGA quality 8).</summary>
    public bool SimulationMode { get; init; }

    /// <summary>Misbehaviour: after every seal message, send the previous message's events again (same ids) as a new message.</summary>
    public bool Replay { get; init; }

    /// <summary>Misbehaviour: sign with a random key instead of <see cref="Key"/> (kid still the gateway id).</summary>
    public bool Forge { get; init; }

    /// <summary>Misbehaviour: bad checksums and truncated sentences in every epoch.</summary>
    public bool CorruptNmea { get; init; }

    /// <summary>
    /// Misbehaviour: after the first seal message, a correctly signed seal message whose <c>events</c> is <c>null</c>,
    /// and after the second one whose <c>events</c> is <c>[null]</c> — poison a server must not choke on.
    /// </summary>
    public bool Poison { get; init; }

    /// <summary>Misbehaviour: HDOP 6–9, above the attestation limit.</summary>
    public bool PoorHdop { get; init; }

    /// <summary>Misbehaviour: only three satellites used in the fix.</summary>
    public bool FewSatellites { get; init; }

    /// <summary>Misbehaviour: no BeiDou satellite used in the fix.</summary>
    public bool NoBeiDou { get; init; }

    /// <summary>Misbehaviour: the 2nd, 6th, 10th… epoch lands 5 km away.</summary>
    public bool Jump { get; init; }

    /// <summary>Misbehaviour: GNSS epochs carry a time this far in the past (a stale fix); zero for a live receiver.</summary>
    public TimeSpan StaleFix { get; init; }

    /// <summary>The default antenna position: the example plant of the README's producer set-up (<c>sites add --lat 27.8611 --lon 106.3720</c>).</summary>
    public const double DefaultLatitude = 27.8611;

    /// <summary>See <see cref="DefaultLatitude"/>.</summary>
    public const double DefaultLongitude = 106.3720;

    /// <summary>Throws <see cref="ArgumentException"/> (parameter name = the option) for an inconsistent value.</summary>
    public void Validate()
    {
        Identifier.Require(SiteId, "site");
        Identifier.Require(GatewayId, "gateway");
        Identifier.Require(LineId, "line");
        Check(Latitude is >= -90 and <= 90, "lat", "must be between -90 and 90");
        Check(Longitude is >= -180 and <= 180, "lon", "must be between -180 and 180");
        Check(Rate >= 0 && double.IsFinite(Rate), "rate", "must be a number ≥ 0");
        Check(Batch >= 1, "batch", "must be at least 1");
        Check(Count is null or >= 0, "count", "must be ≥ 0");
        Check(PackEvery is null or >= 1, "pack-every", "must be at least 1");
        Check(PackLevel is "box" or "case", "pack-level", "must be box or case");
        Check(PalletEvery is null or >= 1, "pallet-every", "must be at least 1");
        Check(PalletEvery is null || PackEvery is not null, "pallet-every", "needs --pack-every (pallets carry the containers it closes)");
        Check(SsccCompanyPrefix.Length is >= 7 and <= 10 && SsccCompanyPrefix.All(char.IsAsciiDigit), "sscc-prefix", "must be a GS1 company prefix of 7–10 digits");
        Check(!string.IsNullOrWhiteSpace(SealType), "seal-type", "must not be empty");
        Check(GnssInterval >= TimeSpan.Zero, "gnss-interval", "must not be negative");
        Check(Duration is null || Duration > TimeSpan.Zero, "duration", "must be positive");
        Check(Port is > 0 and < 65536, "port", "must be 1–65535");
        Check(!string.IsNullOrWhiteSpace(Host), "host", "must not be empty");
        Check(BeiDouTalker is "GB" or "BD", "bd-talker", "must be GB or BD");
        Check(ReconnectDelayMax > TimeSpan.Zero, "reconnect-max", "must be positive");
        Check(ProgressInterval >= TimeSpan.Zero, "progress", "must not be negative");
        Check(StaleFix >= TimeSpan.Zero, "stale-fix", "must not be negative");
        Check(AckTimeout > TimeSpan.Zero, "ack-timeout", "must be positive");
        Check(Window is >= 1 and <= 1000, "window", "must be 1–1000");
        Check(CaFile is null || File.Exists(CaFile), "ca-file", $"'{CaFile}' does not exist");
        Check(Key.KeySize == 256, "key", "must be a P-256 key");
        Check(!IotHub || IotHubHostName is not null, "protocol", "iothub needs --connection-string (HostName=…;GatewayHostName=…;DeviceId=…;SharedAccessKey=…)");
        Check(IotHub || IotHubHostName is null, "connection-string", "is for --protocol iothub; add it");
        Check(!IotHub || UseTls, "connection-string", "needs TLS: IoT Hub's dialect has no plain port");
        Check(!IotHub || Ack != AckMode.Ingestion, "ack", "ingestion is not available with --protocol iothub: IoT Hub's dialect has no acknowledgement topic (the PUBACK comes after commit)");
    }

    private static void Check(bool ok, string option, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"--{option} {message}", option);
        }
    }
}

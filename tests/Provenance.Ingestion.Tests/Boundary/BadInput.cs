using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// One entry of the MQTT bad-input corpus: what a gateway (holding valid credentials) publishes, the PUBACK it must
/// get, and the dead letters it must leave (reason and how many); <see cref="Stored"/> says how many of its events
/// must be stored.
/// </summary>
public sealed record BadInput(string Name, Func<BrokerRig, string, (string Topic, byte[] Payload)> Build, string Reason, int Letters = 1, int Stored = 0, MqttClientPublishReasonCode Ack = MqttClientPublishReasonCode.Success)
{
    public override string ToString() => Name;

    public static IReadOnlyList<BadInput> Corpus { get; } =
    [
        // Not a JWS at all.
        new("empty payload", (_, gw) => (BrokerRig.SealTopic(gw), []), "malformed"),
        new("random binary", (_, gw) => (BrokerRig.SealTopic(gw), RandomNumberGenerator.GetBytes(512)), "malformed"),
        new("UTF-8 text with Chinese characters", (_, gw) => (BrokerRig.SealTopic(gw), Encoding.UTF8.GetBytes("封口消息 not a JWS")), "malformed"),
        new("plain JSON instead of a JWS", (r, gw) => (BrokerRig.SealTopic(gw), Encoding.UTF8.GetBytes(SealJson(gw, "[]"))), "malformed"),
        new("oversized payload (300 KiB)", (_, gw) => (BrokerRig.SealTopic(gw), new byte[300 * 1024]), "oversized"),
        new("NUL bytes", (_, gw) => (BrokerRig.SealTopic(gw), new byte[64]), "malformed"),

        // The JWS rule set.
        new("padded base64url", (r, gw) => (BrokerRig.SealTopic(gw), Encoding.ASCII.GetBytes(Padded(Encoding.ASCII.GetString(r.GoodSeal(gw).Payload)))), "malformed"),
        new("crit header", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, $"{{\"alg\":\"ES256\",\"kid\":\"{gw}\",\"crit\":[\"exp\"],\"exp\":1}}")), "malformed"),
        new("duplicate alg", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, $"{{\"alg\":\"none\",\"kid\":\"{gw}\",\"alg\":\"ES256\"}}")), "malformed"),
        new("embedded jwk header", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, $"{{\"alg\":\"ES256\",\"kid\":\"{gw}\",\"jwk\":\"k\"}}")), "malformed"),
        new("wrong alg: none", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, $"{{\"alg\":\"none\",\"kid\":\"{gw}\"}}")), "unsupported_alg"),
        new("wrong alg: HS256", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, $"{{\"alg\":\"HS256\",\"kid\":\"{gw}\"}}")), "unsupported_alg"),
        new("wrong kid: another registered gateway", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, "{\"alg\":\"ES256\",\"kid\":\"gw-base\"}")), "wrong_topic"),
        new("wrong kid: not a gateway id", (r, gw) => (BrokerRig.SealTopic(gw), WithHeader(r, gw, "{\"alg\":\"ES256\",\"kid\":\"../etc\"}")), "malformed"),
        new("wrong curve: P-384 key", (r, gw) => (BrokerRig.SealTopic(gw), SignedWith(r, gw, ECCurve.NamedCurves.nistP384)), "bad_signature"),
        new("wrong curve: secp256k1 key", (r, gw) => (BrokerRig.SealTopic(gw), SignedWith(r, gw, ECCurve.CreateFromFriendlyName("secP256k1"))), "bad_signature"),
        new("another P-256 key", (r, gw) => (BrokerRig.SealTopic(gw), SignedWith(r, gw, ECCurve.NamedCurves.nistP256)), "bad_signature"),
        new("DER-encoded signature", (r, gw) => (BrokerRig.SealTopic(gw), DerSigned(r, gw)), "bad_signature"),
        new("tampered payload", (r, gw) => (BrokerRig.SealTopic(gw), Tampered(r, gw)), "bad_signature"),

        // Signed, but the payload is bad.
        new("events null", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, "null"))), "malformed"),
        new("events [null]", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, "[null]"))), "malformed"),
        new("events [null, good]", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[null,{EventJson(r.Issue(1)[0])}]"))), "malformed", Stored: 1),
        new("events empty", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, "[]"))), "malformed"),
        new("events missing", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, $"{{\"v\":1,\"site\":\"{BrokerRig.SiteId}\",\"gateway\":\"{gw}\",\"sentAt\":\"{Now()}\"}}")), "malformed"),
        new("1,001 events", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{string.Join(',', Enumerable.Repeat(EventJson("x"), 1001))}]"))), "malformed"),
        new("site null", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, $"{{\"v\":1,\"site\":null,\"gateway\":\"{gw}\",\"sentAt\":\"{Now()}\",\"events\":[]}}")), "malformed"),
        new("event with a null tag", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, EventJson("x").Replace("\"tag\":\"x\"", "\"tag\":null", StringComparison.Ordinal), wrap: true))), "malformed"),
        new("JSON nested 100 deep", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, "[]")[..^1] + ",\"x\":" + new string('[', 100) + new string(']', 100) + "}")), "malformed"),
        new("duplicate member events", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson(r.Issue(1)[0])}]")[..^1] + ",\"events\":[]}")), "malformed"),
        new("version 2", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson(r.Issue(1)[0])}]").Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal))), "malformed"),
        new("payload names another gateway", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson("gw-base", $"[{EventJson(r.Issue(1)[0])}]"))), "wrong_topic"),
        new("not JSON inside a valid JWS", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, "{\"v\":1,")), "malformed"),
        new("invalid escaped surrogate", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson(r.Issue(1)[0], eventId: "\\ud800")}]"))), "malformed"),
        new("unicode event id", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson(r.Issue(1)[0], eventId: "封口-1")}]"))), "malformed"),
        new("event id of 129 characters", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson(r.Issue(1)[0], eventId: new string('e', 129))}]"))), "malformed"),
        new("tag of 2,000 characters", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson("https://id.example.com/01/09506000134352/21/" + new string('A', 2000))}]"))), "malformed"),
        new("unicode tag", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson("https://id.example.com/01/09506000134352/21/酒瓶")}]"))), "malformed"),
        new("element-string tag without a MAC", (r, gw) => (BrokerRig.SealTopic(gw), r.Signed(gw, SealJson(gw, $"[{EventJson($"01{BrokerRig.Gtin}21{Serial(r.Issue(1)[0])}")}]"))), "unauthenticated_tag"),
        new("counterfeit tag (MAC altered)", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(AlterMac(r.Issue(1)[0]))]).Payload), "counterfeit_tag"),
        new("authentic code never issued", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Codes.Sign(DigitalLink.ForTag(BrokerRig.Domain, Gtin.Parse(BrokerRig.Gtin), "NEVER" + gw.Replace("-", string.Empty, StringComparison.Ordinal))))]).Payload), "unknown_tag"),
        new("replay of a year-old signed message", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0], DateTimeOffset.UtcNow.AddDays(-365))], DateTimeOffset.UtcNow.AddDays(-365)).Payload), "stale"),
        new("sealedAt a year ago in a fresh message", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0], DateTimeOffset.UtcNow.AddDays(-365))]).Payload), "stale"),
        new("sealedAt in year 1500 (before InfluxDB's range)", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0], new DateTimeOffset(1500, 1, 1, 0, 0, 0, TimeSpan.Zero))]).Payload), "stale"),
        new("sealedAt in year 9999", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0], new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero))]).Payload), "future"),
        new("sentAt an hour ahead", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0])], DateTimeOffset.UtcNow.AddHours(1)).Payload), "future"),
        new("one bad event among good ones", (r, gw) => (BrokerRig.SealTopic(gw), r.SealOf(gw, [BrokerRig.Event(r.Issue(1)[0]), BrokerRig.Event(AlterMac(r.Issue(1)[0])), BrokerRig.Event(r.Issue(1)[0])]).Payload), "counterfeit_tag", Stored: 2),

        // Pack messages: each pack is all or nothing.
        new("pack with one bottle whose MAC was altered", (r, gw) => (Topic(gw, GatewayMessageKind.Pack), r.Signed(gw, PackJson(gw, "case", NewSscc(), [r.Issue(1)[0], AlterMac(r.Issue(1)[0])]))), "counterfeit_tag"),
        new("pack of an authentic code never issued", (r, gw) => (Topic(gw, GatewayMessageKind.Pack), r.Signed(gw, PackJson(gw, "case", NewSscc(), [r.Codes.Sign(DigitalLink.ForTag(BrokerRig.Domain, Gtin.Parse(BrokerRig.Gtin), "NEVERPACKED"))]))), "unknown_tag"),
        new("pack into an SSCC with a wrong check digit", (r, gw) => (Topic(gw, GatewayMessageKind.Pack), r.Signed(gw, PackJson(gw, "case", "00106141411234567890", [r.Issue(1)[0]]))), "malformed"),
        new("pack at an unknown level", (r, gw) => (Topic(gw, GatewayMessageKind.Pack), r.Signed(gw, PackJson(gw, "crate", NewSscc(), [r.Issue(1)[0]]))), "malformed"),
        new("pack of a container nobody packed", (r, gw) => (Topic(gw, GatewayMessageKind.Pack), r.Signed(gw, PackJson(gw, "pallet", NewSscc(), [], [NewSscc()]))), "unprocessable"),

        // Other kinds and topics.
        new("NMEA garbage", (r, gw) => (Topic(gw, GatewayMessageKind.Gnss), Encoding.ASCII.GetBytes(GatewayMessageCodec.SignGnss(new GnssMessage { SiteId = BrokerRig.SiteId, GatewayId = gw, SentAt = DateTimeOffset.UtcNow, Nmea = "$GNGGA,garbage*00\r\n\u0001\u0002" }, r.Key(gw)))), "bad_nmea"),
        new("status with an unknown state", (r, gw) => (Topic(gw, GatewayMessageKind.Status), r.Signed(gw, $"{{\"v\":1,\"site\":\"{BrokerRig.SiteId}\",\"gateway\":\"{gw}\",\"state\":\"hacked\",\"at\":\"{Now()}\"}}")), "malformed"),
        new("unknown message kind under the gateway's own topic", (r, gw) => ($"prov/v1/{BrokerRig.SiteId}/{gw}/firmware", r.GoodSeal(gw).Payload), "bad_topic"),
        new("another gateway's topic", (r, gw) => (BrokerRig.SealTopic("gw-base"), r.GoodSeal(gw).Payload), "wrong_topic", Ack: MqttClientPublishReasonCode.NotAuthorized),
    ];

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static string Topic(string gw, GatewayMessageKind kind) => new GatewayTopic(BrokerRig.SiteId, gw, kind).ToString();

    public static string SealJson(string gw, string events, bool wrap = false) =>
        $"{{\"v\":1,\"site\":\"{BrokerRig.SiteId}\",\"gateway\":\"{gw}\",\"sentAt\":\"{Now()}\",\"events\":{(wrap ? $"[{events}]" : events)}}}";

    public static string PackJson(string gw, string level, string container, string[] bottles, string[]? containers = null) =>
        $"{{\"v\":1,\"site\":\"{BrokerRig.SiteId}\",\"gateway\":\"{gw}\",\"sentAt\":\"{Now()}\",\"packs\":[{{\"eventId\":\"{Guid.NewGuid()}\",\"line\":\"line-1\"," +
        $"\"packedAt\":\"{Now()}\",\"level\":\"{level}\",\"container\":\"{container}\",\"bottles\":[{string.Join(',', bottles.Select(b => $"\"{b}\""))}]," +
        $"\"containers\":[{string.Join(',', (containers ?? []).Select(c => $"\"{c}\""))}],\"seq\":1}}]}}";

    /// <summary>A fresh SSCC element string (00 + 17 digits + GS1 check digit).</summary>
    private static string NewSscc()
    {
        var body = "0950600" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
        return "00" + body + CheckDigit.Compute(body);
    }

    public static string EventJson(string tag, string? eventId = null) =>
        $"{{\"eventId\":\"{eventId ?? Guid.NewGuid().ToString()}\",\"tag\":\"{tag}\",\"line\":\"line-1\",\"sealedAt\":\"{Now()}\",\"sealType\":\"capsule\",\"seq\":1}}";

    private static string Serial(string url) => DigitalLink.Parse(url).Serial!;

    private static string AlterMac(string url) => url[..^1] + (url[^1] == 'A' ? 'B' : 'A');

    private static string Padded(string jws)
    {
        var parts = jws.Split('.');
        return $"{parts[0]}.{parts[1]}=.{parts[2]}";
    }

    private static byte[] WithHeader(BrokerRig rig, string gw, string header)
    {
        var payload = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(SealJson(gw, $"[{EventJson(rig.Issue(1)[0])}]")));
        var input = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + payload;
        var signature = rig.Key(gw).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return Encoding.ASCII.GetBytes(input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature));
    }

    private static byte[] SignedWith(BrokerRig rig, string gw, ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        return Encoding.ASCII.GetBytes(CompactJws.Sign(Encoding.UTF8.GetBytes(SealJson(gw, $"[{EventJson(rig.Issue(1)[0])}]")), gw, key));
    }

    private static byte[] DerSigned(BrokerRig rig, string gw)
    {
        var parts = Encoding.ASCII.GetString(rig.GoodSeal(gw).Payload).Split('.');
        var der = rig.Key(gw).SignData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}.{System.Buffers.Text.Base64Url.EncodeToString(der)}");
    }

    private static byte[] Tampered(BrokerRig rig, string gw)
    {
        var parts = Encoding.ASCII.GetString(rig.GoodSeal(gw).Payload).Split('.');
        var other = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(SealJson(gw, $"[{EventJson(rig.Issue(1)[0])}]")));
        return Encoding.ASCII.GetBytes($"{parts[0]}.{other}.{parts[2]}");
    }
}

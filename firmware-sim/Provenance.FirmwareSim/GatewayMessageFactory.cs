using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>Builds the signed messages of one gateway: topics, payloads, JWS.</summary>
internal sealed class GatewayMessageFactory(string siteId, string gatewayId, ECDsa key)
{
    public string StatusTopic { get; } = new GatewayTopic(siteId, gatewayId, GatewayMessageKind.Status).ToString();

    private string GnssTopic { get; } = new GatewayTopic(siteId, gatewayId, GatewayMessageKind.Gnss).ToString();

    private string SealTopic { get; } = new GatewayTopic(siteId, gatewayId, GatewayMessageKind.Seal).ToString();

    private string PackTopic { get; } = new GatewayTopic(siteId, gatewayId, GatewayMessageKind.Pack).ToString();

    public QueuedMessage Gnss(string nmea, DateTimeOffset at, long lastSequence, long codesConsumed)
    {
        var jws = GatewayMessageCodec.SignGnss(new GnssMessage { SiteId = siteId, GatewayId = gatewayId, SentAt = at, Nmea = nmea }, key);
        return new QueuedMessage
        {
            Topic = GnssTopic,
            Kind = GatewayMessageKind.Gnss,
            Payload = Encoding.ASCII.GetBytes(jws),
            LastSequence = lastSequence,
            CodesConsumed = codesConsumed,
        };
    }

    public QueuedMessage Seal(IReadOnlyList<SealEvent> events, DateTimeOffset at, long lastSequence, long codesConsumed)
    {
        var jws = GatewayMessageCodec.SignSeal(new SealMessage { SiteId = siteId, GatewayId = gatewayId, SentAt = at, Events = events }, key);
        return new QueuedMessage
        {
            Topic = SealTopic,
            Kind = GatewayMessageKind.Seal,
            Payload = Encoding.ASCII.GetBytes(jws),
            EventIds = [.. events.Select(e => e.EventId)],
            LastSequence = lastSequence,
            CodesConsumed = codesConsumed,
        };
    }

    public QueuedMessage Pack(IReadOnlyList<PackEvent> packs, DateTimeOffset at, long lastSequence, long codesConsumed)
    {
        var jws = GatewayMessageCodec.SignPack(new PackMessage { SiteId = siteId, GatewayId = gatewayId, SentAt = at, Packs = packs }, key);
        return new QueuedMessage
        {
            Topic = PackTopic,
            Kind = GatewayMessageKind.Pack,
            Payload = Encoding.ASCII.GetBytes(jws),
            LastSequence = lastSequence,
            CodesConsumed = codesConsumed,
        };
    }

    /// <summary>A correctly signed seal message whose <c>events</c> member is the given raw JSON (e.g. <c>null</c>).</summary>
    public QueuedMessage PoisonSeal(string eventsJson, DateTimeOffset at, long lastSequence, long codesConsumed)
    {
        var json = $"{{\"v\":1,\"site\":\"{siteId}\",\"gateway\":\"{gatewayId}\",\"sentAt\":\"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\",\"events\":{eventsJson}}}";
        return new QueuedMessage
        {
            Topic = SealTopic,
            Kind = GatewayMessageKind.Seal,
            Payload = Encoding.ASCII.GetBytes(Core.Signing.CompactJws.Sign(Encoding.UTF8.GetBytes(json), gatewayId, key)),
            LastSequence = lastSequence,
            CodesConsumed = codesConsumed,
        };
    }

    public byte[] Status(string state, DateTimeOffset at) =>
        Encoding.ASCII.GetBytes(GatewayMessageCodec.SignStatus(new StatusMessage { SiteId = siteId, GatewayId = gatewayId, State = state, At = at }, key));
}

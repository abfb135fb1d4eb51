using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;

namespace Provenance.Bench.Harness;

/// <summary>
/// One line gateway's RecordSeals batches in the Fabric engine's compact form: each transaction carries each signed
/// gateway message once (messages of <see cref="EventsPerMessage"/> seals, as the simulator sends them) and its records
/// refer to the message by index; the chaincode verifies every message's signature.
/// </summary>
public sealed class SealBatches(string gatewayId) : IDisposable
{
    public const string Gtin = "09506000134352";
    public const string SiteId = "plant-1";
    public const int EventsPerMessage = 50;

    private int _next;

    public string GatewayId { get; } = gatewayId;

    public ECDsa Key { get; } = GatewayKeys.Create();

    public string PublicKeyPem => GatewayKeys.ExportPublicKeyPem(Key);

    /// <summary><paramref name="transactions"/> batches of <paramref name="records"/> new seals each.</summary>
    public IReadOnlyList<string> Next(int transactions, int records) => [.. Enumerable.Range(0, transactions).Select(_ => Batch(records))];

    private string Batch(int records)
    {
        var messages = new JsonArray();
        var list = new JsonArray();
        for (var start = 0; start < records; start += EventsPerMessage)
        {
            var sentAt = DateTimeOffset.UtcNow;
            var events = new List<SealEvent>();
            for (var i = 0; i < Math.Min(EventsPerMessage, records - start); i++)
            {
                var sequence = _next++;
                var serial = $"B{GatewayId[^6..]}{sequence:D7}".ToUpperInvariant();
                events.Add(new SealEvent
                {
                    EventId = $"{GatewayId}-{sequence:D7}", Tag = $"01{Gtin}21{serial}", Line = "l1", SealedAt = sentAt, SealType = "capsule", Sequence = sequence,
                });
                list.Add(new JsonObject
                {
                    ["eventId"] = $"{GatewayId}-{sequence:D7}", ["gtin"] = Gtin, ["serial"] = serial, ["gatewayId"] = GatewayId, ["siteId"] = SiteId, ["message"] = messages.Count,
                });
            }

            messages.Add(GatewayMessageCodec.SignSeal(new SealMessage { SiteId = SiteId, GatewayId = GatewayId, SentAt = sentAt, Events = events }, Key));
        }

        return new JsonObject { ["messages"] = messages, ["records"] = list }.ToJsonString();
    }

    public void Dispose() => Key.Dispose();
}

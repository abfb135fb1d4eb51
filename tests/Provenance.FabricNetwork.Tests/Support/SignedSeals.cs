using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// A line gateway for direct chaincode tests: its own P-256 key and a unique id (the chain outlives each test), seal
/// messages signed as a gateway signs them, and RecordSeals batches in the engine's compact form.
/// </summary>
public sealed class SignedSeals : IDisposable
{
    public const string Gtin = "09506000134352";
    public const string SiteId = "plant-1";

    private int _next;

    public SignedSeals(string prefix)
    {
        GatewayId = $"{prefix}-{Guid.NewGuid():N}"[..24];
        Key = GatewayKeys.Create();
    }

    public string GatewayId { get; }

    public ECDsa Key { get; }

    public string PublicKeyPem => GatewayKeys.ExportPublicKeyPem(Key);

    /// <summary>A RecordSeals batch of <paramref name="count"/> new seals in one signed message; returns it with the serials.</summary>
    public (string Batch, IReadOnlyList<string> Serials) Batch(int count)
    {
        var serials = Enumerable.Range(0, count).Select(_ => $"S{GatewayId[^8..]}{_next++:D5}".ToUpperInvariant()).ToList();
        var sealedAt = DateTimeOffset.UtcNow;
        var events = serials.Select((serial, i) => new SealEvent
        {
            EventId = $"{GatewayId}-{serial}", Tag = $"01{Gtin}21{serial}", Line = "l1", SealedAt = sealedAt.AddMilliseconds(i), SealType = "capsule", Sequence = _next + i,
        }).ToList();
        var jws = GatewayMessageCodec.SignSeal(new SealMessage { SiteId = SiteId, GatewayId = GatewayId, SentAt = sealedAt, Events = events }, Key);
        var records = new JsonArray([.. serials.Select(serial => (JsonNode)new JsonObject
        {
            ["eventId"] = $"{GatewayId}-{serial}", ["gtin"] = Gtin, ["serial"] = serial, ["gatewayId"] = GatewayId, ["siteId"] = SiteId, ["message"] = 0,
        })]);
        return (new JsonObject { ["messages"] = new JsonArray(jws), ["records"] = records }.ToJsonString(), serials);
    }

    /// <summary>Registers this gateway on the chain (an admin's RegisterGateway).</summary>
    public Task RegisterAsync(FabricClient admin) => admin.Contract.SubmitAsync("RegisterGateway", [GatewayId, SiteId, PublicKeyPem]);

    public static IReadOnlyList<string> Stored(byte[] result) =>
        [.. JsonDocument.Parse(result).RootElement.GetProperty("stored").EnumerateArray().Select(e => e.GetString()!)];

    public static string Serial(int i) => i.ToString("D5", CultureInfo.InvariantCulture);

    public void Dispose() => Key.Dispose();
}

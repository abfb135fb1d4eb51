using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Provenance.Ingestion.Ledger;

/// <summary>The provenance chaincode's rejection of one record of a batch.</summary>
internal sealed record RecordRejection(int Index, string? EventId, string Code, string Reason);

/// <summary>What RecordSeals reported: event ids stored, already present, and rejected records.</summary>
internal sealed record RecordSealsResult(IReadOnlyList<string> Stored, IReadOnlyList<string> Duplicates, IReadOnlyList<RecordRejection> Rejected);

/// <summary>A gateway as the chain's registry holds it.</summary>
internal sealed record OnChainGateway(string GatewayId, string SiteId, string KeyFingerprint, string Status);

/// <summary>The JSON the provenance chaincode takes and returns (fabric-network/chaincode/src/contract.ts). Stateless.</summary>
internal static class ChaincodeJson
{
    /// <summary>
    /// The RecordSeals argument: <c>{"messages":[jws…],"records":[{eventId, gtin, serial, gatewayId, siteId, message,
    /// attestation?}]}</c>, each gateway message once and the records naming theirs by index.
    /// </summary>
    public static string Batch(IReadOnlyList<LedgerSeal> seals)
    {
        var messages = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var seal in seals)
        {
            messages.TryAdd(seal.Jws ?? string.Empty, messages.Count);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var jws in messages.Keys)
            {
                writer.WriteStringValue(jws);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("records");
            foreach (var seal in seals)
            {
                writer.WriteStartObject();
                writer.WriteString("eventId", seal.EventId);
                writer.WriteString("gtin", seal.Gtin);
                writer.WriteString("serial", seal.Serial);
                writer.WriteString("gatewayId", seal.GatewayId);
                writer.WriteString("siteId", seal.SiteId);
                writer.WriteNumber("message", messages[seal.Jws ?? string.Empty]);
                if (IsObject(seal.AttestationJson))
                {
                    writer.WritePropertyName("attestation");
                    writer.WriteRawValue(seal.AttestationJson);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses RecordSeals' result; throws <see cref="FormatException"/> if it is not one.</summary>
    public static RecordSealsResult ParseResult(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            var stored = root.GetProperty("stored").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
            var duplicates = root.GetProperty("duplicates").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
            var rejected = root.GetProperty("rejected").EnumerateArray().Select(e => new RecordRejection(
                e.GetProperty("index").GetInt32(),
                e.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                e.GetProperty("code").GetString() ?? string.Empty,
                e.GetProperty("reason").GetString() ?? string.Empty)).ToList();
            return new RecordSealsResult(stored, duplicates, rejected);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"RecordSeals returned something that is not its result ({e.Message}): {Encoding.UTF8.GetString(json)}", e);
        }
    }

    /// <summary>GetGateway's answer, or null for <c>null</c>.</summary>
    public static OnChainGateway? ParseGateway(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return root.ValueKind != JsonValueKind.Object
            ? null
            : new OnChainGateway(Text(root, "gatewayId"), Text(root, "siteId"), Text(root, "keyFingerprint"), Text(root, "status"));
    }

    /// <summary>GetTagRecord's event id and transaction id, or null for <c>null</c>.</summary>
    public static (string EventId, string TransactionId)? ParseTagRecord(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return root.ValueKind != JsonValueKind.Object ? null : (Text(root, "eventId"), Text(root, "txId"));
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static bool IsObject(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

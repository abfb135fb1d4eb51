using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Provenance.Core.Signing;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Ingestion.Tests.Ledger;

/// <summary>
/// The provenance chaincode's semantics (fabric-network/chaincode/src/contract.ts) in memory, for the fake peer:
/// RegisterGateway / RotateGatewayKey / MoveGateway / GetGateway, RecordSeals of compact batches (each message once,
/// records naming it by index) with per-record results (refuses
/// records of unregistered or revoked gateways, site mismatches, bad fields, JWS not signed by the registered key;
/// idempotent by event id; a different record for a sealed tag is a conflict), and GetTagRecord. Stateless: the
/// world state is the peer's ledger.
/// </summary>
internal static partial class FakeProvenanceChaincode
{
    public static string GatewayKey(string gatewayId) => $"gateway~{gatewayId}";

    public static string TagKey(string gtin, string serial) => $"tag~{gtin}~{serial}";

    public static string EventKey(string eventId) => $"event~{eventId}";

    public static Simulation Simulate(CheckedProposal proposal, Func<string, (byte[]? Value, ulong Version)> read)
    {
        var args = proposal.Arguments.Select(a => Encoding.UTF8.GetString(a)).ToArray();
        var call = new Call(read);
        try
        {
            var payload = (proposal.Function, args.Length) switch
            {
                ("RegisterGateway", 3) => RegisterGateway(call, args[0], args[1], args[2]),
                ("RotateGatewayKey", 2) => RotateGatewayKey(call, args[0], args[1]),
                ("MoveGateway", 2) => MoveGateway(call, args[0], args[1]),
                ("GetGateway", 1) => call.Read(GatewayKey(args[0]))?.ToJsonString() ?? "null",
                ("GetTagRecord", 2) => call.Read(TagKey(args[0], args[1]))?.ToJsonString() ?? "null",
                ("RecordSeals", 1) => RecordSeals(call, args[0], proposal.TransactionId),
                _ => throw new InvalidOperationException($"unknown function {proposal.Function} with {args.Length} arguments"),
            };
            return new Simulation(200, string.Empty, Encoding.UTF8.GetBytes(payload), call.Reads, call.Writes, call.Event);
        }
        catch (InvalidOperationException e)
        {
            return new Simulation(500, e.Message, [], new Dictionary<string, ulong>(), new Dictionary<string, byte[]>(), null);
        }
    }

    private static string RegisterGateway(Call call, string gatewayId, string siteId, string pem)
    {
        if (call.Read(GatewayKey(gatewayId)) is not null)
        {
            throw new InvalidOperationException($"gateway '{gatewayId}' is already registered; use RotateGatewayKey or MoveGateway");
        }

        var record = new JsonObject
        {
            ["docType"] = "gateway", ["gatewayId"] = gatewayId, ["siteId"] = siteId, ["publicKeyPem"] = pem,
            ["keyFingerprint"] = Fingerprint(pem), ["keyVersion"] = 1, ["status"] = "active",
        };
        call.Write(GatewayKey(gatewayId), record);
        return record.ToJsonString();
    }

    private static string RotateGatewayKey(Call call, string gatewayId, string pem)
    {
        var record = call.Read(GatewayKey(gatewayId)) ?? throw new InvalidOperationException($"gateway '{gatewayId}' is not registered");
        if ((string?)record["keyFingerprint"] == Fingerprint(pem))
        {
            throw new InvalidOperationException($"gateway '{gatewayId}' already has this key");
        }

        record["publicKeyPem"] = pem;
        record["keyFingerprint"] = Fingerprint(pem);
        record["keyVersion"] = (int)record["keyVersion"]! + 1;
        call.Write(GatewayKey(gatewayId), record);
        return record.ToJsonString();
    }

    private static string MoveGateway(Call call, string gatewayId, string siteId)
    {
        var record = call.Read(GatewayKey(gatewayId)) ?? throw new InvalidOperationException($"gateway '{gatewayId}' is not registered");
        record["siteId"] = siteId;
        call.Write(GatewayKey(gatewayId), record);
        return record.ToJsonString();
    }

    private static string RecordSeals(Call call, string batchJson, string transactionId)
    {
        var root = JsonNode.Parse(batchJson) as JsonObject;
        if (root?["messages"] is not JsonArray messages || root["records"] is not JsonArray batch)
        {
            throw new InvalidOperationException("batch must be a JSON object {\"messages\":[jws…],\"records\":[…]}");
        }

        if (batch.Count > 500 || messages.Count > 500)
        {
            throw new InvalidOperationException($"batch has {batch.Count} records and {messages.Count} messages; at most 500 of each per transaction");
        }

        var stored = new JsonArray();
        var duplicates = new JsonArray();
        var rejected = new JsonArray();
        for (var index = 0; index < batch.Count; index++)
        {
            var item = batch[index] as JsonObject;
            var eventId = item?["eventId"]?.GetValueKind() == JsonValueKind.String ? (string?)item["eventId"] : null;
            var (outcome, code, reason) = RecordOne(call, item, messages, transactionId);
            switch (outcome)
            {
                case "stored": stored.Add(eventId); break;
                case "duplicate": duplicates.Add(eventId); break;
                default: rejected.Add(new JsonObject { ["index"] = index, ["eventId"] = eventId, ["code"] = code, ["reason"] = reason }); break;
            }
        }

        if (stored.Count > 0)
        {
            call.Event = ("SealsRecorded", Encoding.UTF8.GetBytes(new JsonObject { ["txId"] = transactionId, ["stored"] = stored.DeepClone() }.ToJsonString()));
        }

        return new JsonObject { ["stored"] = stored, ["duplicates"] = duplicates, ["rejected"] = rejected }.ToJsonString();
    }

    private static (string Outcome, string? Code, string? Reason) RecordOne(Call call, JsonObject? item, JsonArray messages, string transactionId)
    {
        string? Field(string name) => item?[name]?.GetValueKind() == JsonValueKind.String ? (string?)item[name] : null;
        var (eventId, gtin, serial, gatewayId, siteId) = (Field("eventId"), Field("gtin"), Field("serial"), Field("gatewayId"), Field("siteId"));
        var jws = item?["message"] is JsonValue index && index.TryGetValue<int>(out var i) && i >= 0 && i < messages.Count
            && messages[i]?.GetValueKind() == JsonValueKind.String ? (string?)messages[i] : null;
        if (eventId is null || gtin is null || !GtinPattern().IsMatch(gtin) || serial is not { Length: > 0 and <= 20 }
            || gatewayId is null || !IdPattern().IsMatch(gatewayId) || siteId is null || !IdPattern().IsMatch(siteId) || jws is null
            || (item!["attestation"] is { } attestation && attestation.GetValueKind() != JsonValueKind.Object))
        {
            return ("rejected", "malformed-record", "a field is missing or malformed");
        }

        var gateway = call.Read(GatewayKey(gatewayId));
        if (gateway is null)
        {
            return ("rejected", "unknown-gateway", $"gateway '{gatewayId}' is not registered");
        }

        if ((string?)gateway["siteId"] != siteId)
        {
            return ("rejected", "site-mismatch", $"gateway '{gatewayId}' is registered at site '{gateway["siteId"]}', not '{siteId}'");
        }

        using var key = GatewayKeys.ImportPublicKeyPem((string)gateway["publicKeyPem"]!);
        if (!CompactJws.TryDecode(jws, out var token, out var error) || token!.KeyId != gatewayId || !CompactJws.Verify(token, key))
        {
            return ("rejected", "bad-signature", $"signature does not verify with the key of gateway '{gatewayId}' ({error})");
        }

        var messageHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jws)));
        var existing = call.Read(TagKey(gtin, serial));
        var byEvent = call.Read(EventKey(eventId));
        if (byEvent is not null && ((string?)byEvent["gtin"] != gtin || (string?)byEvent["serial"] != serial))
        {
            return ("rejected", "conflict", $"event '{eventId}' is already recorded for tag {byEvent["gtin"]}/{byEvent["serial"]}");
        }

        if (existing is not null)
        {
            return (string?)existing["eventId"] == eventId && (string?)existing["gatewayId"] == gatewayId && (string?)existing["messageHash"] == messageHash
                ? ("duplicate", null, null)
                : ("rejected", "conflict", $"tag {gtin}/{serial} is already sealed by event '{existing["eventId"]}'");
        }

        call.Write(TagKey(gtin, serial), new JsonObject
        {
            ["eventId"] = eventId, ["gtin"] = gtin, ["serial"] = serial, ["gatewayId"] = gatewayId,
            ["siteId"] = siteId, ["messageHash"] = messageHash, ["txId"] = transactionId,
        });
        call.Write(EventKey(eventId), new JsonObject { ["gtin"] = gtin, ["serial"] = serial });
        return ("stored", null, null);
    }

    private static string Fingerprint(string pem)
    {
        using var key = GatewayKeys.ImportPublicKeyPem(pem);
        return GatewayKeys.Fingerprint(key);
    }

    [GeneratedRegex("^[0-9]{14}$")]
    private static partial Regex GtinPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    /// <summary>One simulation: reads with versions (for MVCC), writes (visible to later reads), the event.</summary>
    private sealed class Call(Func<string, (byte[]? Value, ulong Version)> read)
    {
        public Dictionary<string, ulong> Reads { get; } = [];

        public Dictionary<string, byte[]> Writes { get; } = [];

        public (string Name, byte[] Payload)? Event { get; set; }

        public JsonObject? Read(string key)
        {
            if (Writes.TryGetValue(key, out var written))
            {
                return JsonNode.Parse(written)!.AsObject();
            }

            var (value, version) = read(key);
            Reads.TryAdd(key, version);
            return value is null ? null : JsonNode.Parse(value)?.AsObject();
        }

        public void Write(string key, JsonObject value) => Writes[key] = Encoding.UTF8.GetBytes(value.ToJsonString());
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Records;
using Provenance.Core.Signing;

namespace Provenance.Storage.Ledger.Internal;

/// <summary>
/// One stored gateway message as the verifier sees it: its hash (for the leaf), whether it is a validly signed seal
/// message of a registered gateway, and its events by id, against which each ledger record is compared field by
/// field. Fails closed: a missing message, an unknown gateway or an unparseable payload is a problem. Immutable.
/// </summary>
internal sealed class GatewayMessageCheck
{
    private readonly Dictionary<string, SealEvent> _events = new(StringComparer.Ordinal);

    private GatewayMessageCheck(long id, byte[]? hash)
    {
        Id = id;
        Hash = hash;
    }

    public long Id { get; }

    /// <summary>SHA-256 of the JWS, or null when the message row is missing.</summary>
    public byte[]? Hash { get; }

    /// <summary>Why the message cannot vouch for its records (kind, text), or null when it is a valid signed seal message.</summary>
    public (string Kind, string Text)? Problem { get; private set; }

    public SealMessage? Message { get; private set; }

    public string? GatewayFingerprint { get; private set; }

    public static GatewayMessageCheck Create(long id, string? jws, IReadOnlyDictionary<string, RegisteredGateway> gateways)
    {
        if (jws is null)
        {
            return new GatewayMessageCheck(id, null) { Problem = ("missing_message", $"gateway message {id} is not in the database") };
        }

        var check = new GatewayMessageCheck(id, LedgerHashing.MessageHash(jws));
        if (!CompactJws.TryDecode(jws, out var token, out var error))
        {
            check.Problem = ("bad_message", $"gateway message {id} is not a valid JWS ({error})");
            return check;
        }

        if (!gateways.TryGetValue(token!.KeyId, out var gateway))
        {
            check.Problem = ("unknown_gateway", $"gateway message {id} is signed as '{token.KeyId}', which is not a registered gateway, so its signature cannot be checked");
            return check;
        }

        if (gateway.Verify(token) is not { } signingKey)
        {
            check.Problem = ("bad_gateway_signature", $"gateway message {id}: gateway {token.KeyId}'s signature does not verify");
            return check;
        }

        if (!GatewayMessageCodec.TryReadPayload(token.Payload, GatewayJsonContext.Default.SealMessage, out var message, out error) || message!.Events is null)
        {
            check.Problem = ("bad_message", $"gateway message {id} is not a seal message ({error ?? "no events"})");
            return check;
        }

        if (message.GatewayId != token.KeyId)
        {
            check.Problem = ("bad_message", $"gateway message {id} names gateway '{message.GatewayId}' but is signed by '{token.KeyId}'");
            return check;
        }

        foreach (var e in message.Events)
        {
            if (e?.EventId is { } eventId)
            {
                check._events.TryAdd(eventId, e);
            }
        }

        check.Message = message;
        check.GatewayFingerprint = signingKey;
        return check;
    }

    /// <summary>Compares a ledger record with the signed event of the same id; returns what differs, or null when it matches.</summary>
    public (string Kind, string Text)? CheckRecord(string eventId, string recordJson)
    {
        if (Problem is { } problem)
        {
            return problem;
        }

        if (!_events.TryGetValue(eventId, out var signed))
        {
            return ("event_not_in_message", $"event {eventId} is not one of the events of gateway message {Id}");
        }

        ProvenanceRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(recordJson, RecordJsonContext.Default.ProvenanceRecord);
        }
        catch (JsonException e)
        {
            return ("bad_record", $"the record of event {eventId} is not a provenance record: {e.Message}");
        }

        var differ = new List<string>();
        Compare(differ, "eventId", record!.EventId == eventId);
        Compare(differ, "gatewayId", record.GatewayId == Message!.GatewayId);
        Compare(differ, "gatewayKey", record.GatewayKeyFingerprint == GatewayFingerprint);
        Compare(differ, "siteId", record.SiteId == Message.SiteId);
        Compare(differ, "line", record.Line == signed.Line);
        Compare(differ, "sealedAt", record.SealedAt == signed.SealedAt);
        Compare(differ, "sealType", record.SealType == signed.SealType);
        Compare(differ, "nfcUid", record.NfcUid == signed.NfcUid);
        Compare(differ, "seq", record.Sequence == signed.Sequence);
        Compare(differ, "gtin/serial", TryReadTag(signed.Tag, out var gtin, out var serial) && record.Gtin == gtin && record.Serial == serial);
        return differ.Count == 0 ? null : ("record_mismatch", $"the record of event {eventId} differs from gateway message {Id} in: {string.Join(", ", differ)}");
    }

    private static void Compare(List<string> differ, string field, bool equal)
    {
        if (!equal)
        {
            differ.Add(field);
        }
    }

    private static bool TryReadTag(string? tag, out string gtin, out string serial)
    {
        if (TagReference.TryParseElementString(tag, out gtin, out serial))
        {
            return true;
        }

        if (DigitalLink.TryParse(tag, out var link, out _) && link is { Gtin: { } g, Serial: { } s })
        {
            gtin = g.Value;
            serial = s;
            return true;
        }

        return false;
    }
}

/// <summary>
/// Every key a registered gateway has had (a rotation must not void the records its old key signed), loaded once per
/// verification. Verification is thread-safe (one key instance per thread).
/// </summary>
internal sealed class RegisteredGateway(IReadOnlyList<(string Pem, string Fingerprint)> keys) : IDisposable
{
    private readonly ThreadLocal<ECDsa[]> _keys = new(() => [.. keys.Select(k => GatewayKeys.ImportPublicKeyPem(k.Pem))], trackAllValues: true);

    /// <summary>The fingerprint of the key whose signature the token carries, or null when none of the gateway's keys verifies it.</summary>
    public string? Verify(JwsToken token)
    {
        var instances = _keys.Value!;
        for (var i = 0; i < instances.Length; i++)
        {
            if (CompactJws.Verify(token, instances[i]))
            {
                return keys[i].Fingerprint;
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values.SelectMany(k => k))
        {
            key.Dispose();
        }

        _keys.Dispose();
    }
}

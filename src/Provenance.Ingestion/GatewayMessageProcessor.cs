using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Origin;
using Provenance.Core.Records;
using Provenance.Core.Signing;
using Provenance.Ingestion.Internal;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion;

/// <summary>
/// Turns one gateway MQTT message into what must be stored: verifies the JWS against the registered key and the
/// topic against the signer, parses the payload, checks every tag's MAC and issuance, attests each seal's origin
/// against the gateway's recent fixes, and turns everything rejected into dead letters with a reason. Not
/// thread-safe: the ingestion loop calls it from one task, in message order.
/// </summary>
public sealed class GatewayMessageProcessor
{
    private readonly GatewayDirectory _gateways;
    private readonly TagStore _tags;
    private readonly CodeAuthenticator _codes;
    private readonly AttestationPolicy _policy;
    private readonly IngestionOptions _options;
    private readonly FixTracker _fixes;
    private readonly RegistryStore _registry;
    private readonly IngestionWriter? _sharedState;

    public GatewayMessageProcessor(RegistryStore registry, TagStore tags, CodeAuthenticator codes, AttestationPolicy policy, IngestionOptions options, IngestionWriter? sharedState = null)
    {
        _sharedState = sharedState;
        _registry = registry;
        _gateways = new GatewayDirectory(registry);
        _tags = tags;
        _codes = codes;
        _policy = policy;
        _options = options;
        _fixes = new FixTracker(policy.History);
    }

    /// <summary>Restores the recent-fix histories persisted by earlier commits (at start-up, or after a failed commit).</summary>
    public void LoadFixHistories(IReadOnlyDictionary<string, string> histories) => _fixes.Load(histories);

    public IngestionUnit Process(string topic, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _options.MaxPayloadBytes)
        {
            return Rejected(topic, "oversized", $"payload of {payload.Length} bytes exceeds the limit of {_options.MaxPayloadBytes}", payload[..Math.Min(payload.Length, 4 * _options.MaxPayloadBytes)]);
        }

        if (!GatewayTopic.TryParse(topic, out var parsedTopic, out var topicError))
        {
            return Rejected(topic, "bad_topic", topicError!, payload);
        }

        string compact;
        try
        {
            compact = StrictAscii.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return Rejected(topic, "malformed", "payload is not a JWS compact serialisation (non-ASCII bytes)", payload);
        }

        if (!CompactJws.TryDecode(compact, out var token, out var jwsError))
        {
            return Rejected(topic, "malformed", jwsError!, payload);
        }

        if (token!.KeyId != parsedTopic.GatewayId)
        {
            return Rejected(topic, "wrong_topic", $"message signed by gateway '{token.KeyId}' was published on the topic of gateway '{parsedTopic.GatewayId}'", payload);
        }

        var entry = _gateways.Find(parsedTopic.GatewayId);
        if (entry.Gateway is null || entry.Key is null)
        {
            return Rejected(topic, "unknown_gateway", $"gateway '{parsedTopic.GatewayId}' is not registered", payload);
        }

        if (entry.Gateway.IsRevoked)
        {
            return Rejected(topic, "revoked_gateway", $"gateway '{parsedTopic.GatewayId}' was revoked", payload);
        }

        if (entry.Gateway.SiteId != parsedTopic.SiteId)
        {
            return Rejected(topic, "wrong_topic", $"gateway '{parsedTopic.GatewayId}' belongs to site '{entry.Gateway.SiteId}', not '{parsedTopic.SiteId}'", payload);
        }

        if (!CompactJws.Verify(token, entry.Key))
        {
            return Rejected(topic, "bad_signature", $"signature does not verify with gateway '{parsedTopic.GatewayId}''s registered key ({entry.Gateway.KeyFingerprint})", payload);
        }

        return parsedTopic.Kind switch
        {
            GatewayMessageKind.Seal => ProcessSeal(topic, compact, token.Payload, entry),
            GatewayMessageKind.Gnss => ProcessGnss(topic, compact, token.Payload, entry),
            _ => ProcessStatus(topic, compact, token.Payload, entry),
        };
    }

    private IngestionUnit ProcessSeal(string topic, string compact, byte[] body, GatewayDirectory.Entry entry)
    {
        var gateway = entry.Gateway!;
        if (!GatewayMessageCodec.TryReadPayload(body, GatewayJsonContext.Default.SealMessage, out var message, out var error))
        {
            return Rejected(topic, "malformed", error!, Encoding.ASCII.GetBytes(compact));
        }

        if (message!.GatewayId != gateway.Id || message.SiteId != gateway.SiteId)
        {
            return Rejected(topic, "wrong_topic", $"payload names gateway '{message.GatewayId}' at site '{message.SiteId}', but the signer is '{gateway.Id}' at '{gateway.SiteId}'", Encoding.ASCII.GetBytes(compact));
        }

        if (message.Events.Count == 0 || message.Events.Count > _options.MaxEventsPerMessage)
        {
            return Rejected(topic, "malformed", $"a seal message carries 1..{_options.MaxEventsPerMessage} events, this one {message.Events.Count}", Encoding.ASCII.GetBytes(compact));
        }

        var unit = new IngestionUnit { Topic = topic, GatewayId = gateway.Id, Jws = compact };
        var resolved = new List<(SealEvent Seal, string Gtin, string Serial)>(message.Events.Count);
        foreach (var seal in message.Events)
        {
            var problem = CheckEvent(seal);
            if (problem is not null)
            {
                unit.DeadLetters.Add(new DeadLetter(topic, "malformed", problem, seal.EventId, Encoding.ASCII.GetBytes(compact)));
                continue;
            }

            if (!TryResolveTag(seal.Tag, out var gtin, out var serial, out var reasonCode, out var reason))
            {
                unit.DeadLetters.Add(new DeadLetter(topic, reasonCode, $"event {seal.EventId}: {reason}", seal.EventId, Encoding.ASCII.GetBytes(compact)));
                continue;
            }

            resolved.Add((seal, gtin, serial));
        }

        var issuedTags = _tags.FindMany(resolved.Select(r => (r.Gtin, r.Serial)));
        if (resolved.Count > 0)
        {
            RefreshStaleFixes(gateway.Id, resolved.Max(r => r.Seal.SealedAt));
        }

        foreach (var (seal, gtin, serial) in resolved)
        {
            if (!issuedTags.TryGetValue((gtin, serial), out var issued))
            {
                unit.DeadLetters.Add(new DeadLetter(topic, "unknown_tag", $"event {seal.EventId}: tag {gtin}/{serial} was never issued", seal.EventId, Encoding.ASCII.GetBytes(compact)));
                continue;
            }

            var site = entry.Site!;
            var recent = _fixes.Recent(gateway.Id);
            var attestation = OriginAttestor.Attest(site.Geofence(), site.Center, recent, seal.SealedAt, _policy);
            var record = new ProvenanceRecord
            {
                EventId = seal.EventId,
                Gtin = gtin,
                Serial = serial,
                Lot = issued.Lot,
                GatewayId = gateway.Id,
                GatewayKeyFingerprint = gateway.KeyFingerprint,
                SiteId = gateway.SiteId,
                Line = seal.Line,
                SealedAt = seal.SealedAt,
                SealType = seal.SealType,
                NfcUid = seal.NfcUid,
                Sequence = seal.Sequence,
                Attestation = attestation,
            };
            unit.Seals.Add(new SealToStore(
                seal.EventId, gtin, serial, gateway.Id, gateway.SiteId, seal.Line, seal.SealedAt, seal.SealType, seal.NfcUid, seal.Sequence,
                attestation.Attested, JsonSerializer.Serialize(attestation, RecordJsonContext.Default.OriginAttestation),
                ContentHash(gateway.Id, seal, gtin, serial), JsonSerializer.Serialize(record, RecordJsonContext.Default.ProvenanceRecord),
                JsonSerializer.Serialize(AttestationInputs.Of(recent, _policy), RecordJsonContext.Default.AttestationInputs)));
        }

        return unit;
    }

    private IngestionUnit ProcessGnss(string topic, string compact, byte[] body, GatewayDirectory.Entry entry)
    {
        var gateway = entry.Gateway!;
        if (!GatewayMessageCodec.TryReadPayload(body, GatewayJsonContext.Default.GnssMessage, out var message, out var error))
        {
            return Rejected(topic, "malformed", error!, Encoding.ASCII.GetBytes(compact));
        }

        if (message!.GatewayId != gateway.Id || message.SiteId != gateway.SiteId)
        {
            return Rejected(topic, "wrong_topic", $"payload names gateway '{message.GatewayId}' at site '{message.SiteId}', but the signer is '{gateway.Id}' at '{gateway.SiteId}'", Encoding.ASCII.GetBytes(compact));
        }

        var unit = new IngestionUnit { Topic = topic, GatewayId = gateway.Id, Jws = compact };
        var decoded = NmeaFixes.Decode(message.Nmea);
        if (decoded.Problems.Count > 0)
        {
            unit.DeadLetters.Add(new DeadLetter(topic, "bad_nmea", string.Join("; ", decoded.Problems.Take(20)), null, Encoding.ASCII.GetBytes(compact)));
        }

        var site = entry.Site!;
        var fence = site.Geofence();
        foreach (var fix in decoded.Fixes)
        {
            _fixes.Add(gateway.Id, fix);
            var point = new Core.Geo.GeoPoint(fix.Latitude, fix.Longitude);
            var body2 = new FixJournalBody(gateway.Id, gateway.SiteId, fix, fence.Contains(point), site.Center.DistanceToMeters(point));
            unit.Fixes.Add(new FixToStore($"{gateway.Id}/{fix.Time.UtcTicks}", JsonSerializer.Serialize(body2, IngestionJsonContext.Default.FixJournalBody)));
        }

        if (decoded.Fixes.Count > 0)
        {
            unit.FixHistoryJson = _fixes.Serialize(gateway.Id);
        }

        return unit;
    }

    private IngestionUnit ProcessStatus(string topic, string compact, byte[] body, GatewayDirectory.Entry entry)
    {
        if (!GatewayMessageCodec.TryReadPayload(body, GatewayJsonContext.Default.StatusMessage, out var message, out var error))
        {
            return Rejected(topic, "malformed", error!, Encoding.ASCII.GetBytes(compact));
        }

        if (message!.State is not (StatusMessage.Online or StatusMessage.Offline))
        {
            return Rejected(topic, "malformed", $"status state must be '{StatusMessage.Online}' or '{StatusMessage.Offline}', got '{message.State}'", Encoding.ASCII.GetBytes(compact));
        }

        _registry.SetGatewayStatus(entry.Gateway!.Id, message.State, message.At);
        return new IngestionUnit { Topic = topic, GatewayId = entry.Gateway.Id };
    }

    /// <summary>
    /// Several ingestion instances on one shared subscription split a gateway's messages, so the latest fix may have
    /// been committed by another instance: when ours is too old for the seal, take the persisted history instead.
    /// </summary>
    private void RefreshStaleFixes(string gatewayId, DateTimeOffset sealedAt)
    {
        var recent = _fixes.Recent(gatewayId);
        if (_sharedState is null || (recent.Count > 0 && sealedAt - recent[^1].Time <= _policy.MaxFixAge))
        {
            return;
        }

        if (_sharedState.LoadFixHistory(gatewayId) is { } json)
        {
            _fixes.Merge(gatewayId, json);
        }
    }

    private bool TryResolveTag(string tag, out string gtin, out string serial, out string reasonCode, out string reason)
    {
        gtin = serial = reasonCode = reason = string.Empty;
        if (TagReference.TryParseElementString(tag, out gtin, out serial))
        {
            return true;
        }

        var verification = _codes.Verify(tag);
        switch (verification.Status)
        {
            case CodeVerificationStatus.Authentic when verification.Link is { Gtin: not null, Serial: not null } link:
                gtin = link.Gtin.Value.Value;
                serial = link.Serial;
                return true;
            case CodeVerificationStatus.Authentic:
                (reasonCode, reason) = ("malformed", "tag has no GTIN and serial");
                return false;
            case CodeVerificationStatus.Malformed:
                (reasonCode, reason) = ("malformed", $"tag is not a GS1 Digital Link URI or element string: {verification.Error}");
                return false;
            default:
                (reasonCode, reason) = ("counterfeit_tag", $"tag code fails authentication ({verification.Status})");
                return false;
        }
    }

    private static string? CheckEvent(SealEvent seal)
    {
        if (string.IsNullOrWhiteSpace(seal.EventId) || seal.EventId.Length > 128)
        {
            return "event id must be 1..128 characters";
        }

        if (!Identifier.IsValid(seal.Line))
        {
            return $"event {seal.EventId}: line '{seal.Line}' is not a valid id";
        }

        if (string.IsNullOrWhiteSpace(seal.SealType) || seal.SealType.Length > 32)
        {
            return $"event {seal.EventId}: seal type must be 1..32 characters";
        }

        if (seal.Sequence < 0)
        {
            return $"event {seal.EventId}: sequence number must not be negative";
        }

        return seal.NfcUid is { Length: > 64 } ? $"event {seal.EventId}: NFC UID longer than 64 characters" : null;
    }

    private static byte[] ContentHash(string gatewayId, SealEvent seal, string gtin, string serial)
    {
        var canonical = string.Join('\n', gatewayId, seal.EventId, gtin, serial, seal.Line, seal.SealedAt.UtcTicks, seal.SealType, seal.NfcUid ?? string.Empty, seal.Sequence);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    private static IngestionUnit Rejected(string? topic, string code, string reason, ReadOnlySpan<byte> payload)
    {
        var unit = new IngestionUnit { Topic = topic };
        unit.DeadLetters.Add(new DeadLetter(topic, code, reason, null, payload.ToArray()));
        return unit;
    }

    private static readonly Encoding StrictAscii = Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}

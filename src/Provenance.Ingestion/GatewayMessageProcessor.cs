using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Nfc;
using Provenance.Core.Origin;
using Provenance.Core.Records;
using Provenance.Core.Signing;
using Provenance.Ingestion.Internal;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion;

/// <summary>
/// Turns one gateway MQTT message into what must be stored: verifies the JWS against the registered key and the
/// topic against the signer, parses the payload under the protocol's bounds (sizes, counts, JSON depth, a time
/// window), checks every tag's MAC and issuance, attests each seal's origin against the gateway's recent fixes, and
/// turns everything rejected into dead letters with a reason. Not thread-safe: the ingestion loop calls it from one
/// task, in message order.
/// </summary>
public sealed partial class GatewayMessageProcessor
{
    private readonly GatewayDirectory _gateways;
    private readonly TagStore _tags;
    private readonly SealEventRules _events;
    private readonly MessageClock _clock;
    private readonly AttestationPolicy _policy;
    private readonly IngestionOptions _options;
    private readonly FixTracker _fixes;
    private readonly IngestionWriter? _sharedState;

    public GatewayMessageProcessor(
        RegistryStore registry, TagStore tags, CodeAuthenticator codes, AttestationPolicy policy, IngestionOptions options, IngestionWriter? sharedState = null, TimeProvider? time = null)
    {
        _sharedState = sharedState;
        _gateways = new GatewayDirectory(registry, time ?? TimeProvider.System);
        _tags = tags;
        _events = new SealEventRules(codes);
        _clock = new MessageClock(options, time ?? TimeProvider.System);
        _policy = policy;
        _options = options;
        _fixes = new FixTracker(policy.History);
    }

    /// <summary>Restores the recent-fix histories persisted by earlier commits (at start-up, or after a failed commit).</summary>
    public void LoadFixHistories(IReadOnlyDictionary<string, string> histories) => _fixes.Load(histories);

    public IngestionUnit Process(string topic, ReadOnlyMemory<byte> payload)
    {
        var source = GatewayTopic.TryParse(topic, out var parsedTopic, out var topicError) ? parsedTopic.GatewayId : string.Empty;
        IngestionUnit Rejected(string code, string reason) => IngestionUnit.Rejected(topic, source, payload, code, reason);

        if (payload.Length > _options.MaxPayloadBytes)
        {
            return Rejected(ReasonCodes.Oversized, $"payload of {payload.Length} bytes exceeds Ingestion:MaxPayloadBytes ({_options.MaxPayloadBytes})");
        }

        if (topicError is not null)
        {
            return Rejected(ReasonCodes.BadTopic, topicError);
        }

        string compact;
        try
        {
            compact = StrictAscii.GetString(payload.Span);
        }
        catch (DecoderFallbackException)
        {
            return Rejected(ReasonCodes.Malformed, "payload is not a JWS compact serialisation (non-ASCII bytes)");
        }

        if (!CompactJws.TryDecode(compact, out var token, out var failure, out var jwsError))
        {
            return Rejected(failure switch
            {
                JwsFailure.UnsupportedAlgorithm => ReasonCodes.UnsupportedAlgorithm,
                JwsFailure.BadSignature => ReasonCodes.BadSignature,
                _ => ReasonCodes.Malformed,
            }, jwsError!);
        }

        if (token!.KeyId != parsedTopic.GatewayId)
        {
            return Rejected(ReasonCodes.WrongTopic, $"message signed by gateway '{token.KeyId}' was published on the topic of gateway '{parsedTopic.GatewayId}'");
        }

        var entry = _gateways.Find(parsedTopic.GatewayId);
        if (entry.Gateway is null || entry.Key is null)
        {
            return Rejected(ReasonCodes.UnknownGateway, $"gateway '{parsedTopic.GatewayId}' is not registered");
        }

        if (entry.Gateway.IsRevoked)
        {
            return Rejected(ReasonCodes.RevokedGateway, $"gateway '{parsedTopic.GatewayId}' was revoked");
        }

        if (entry.Gateway.SiteId != parsedTopic.SiteId)
        {
            return Rejected(ReasonCodes.WrongTopic, $"gateway '{parsedTopic.GatewayId}' belongs to site '{entry.Gateway.SiteId}', not '{parsedTopic.SiteId}'");
        }

        if (!CompactJws.Verify(token, entry.Key))
        {
            return Rejected(ReasonCodes.BadSignature, $"signature does not verify with gateway '{parsedTopic.GatewayId}''s registered key ({entry.Gateway.KeyFingerprint})");
        }

        var message = new VerifiedMessage(topic, compact, payload, token.Payload, entry);
        return parsedTopic.Kind switch
        {
            GatewayMessageKind.Seal => ProcessSeal(message),
            GatewayMessageKind.Gnss => ProcessGnss(message),
            GatewayMessageKind.Pack => ProcessPack(message),
            _ => ProcessStatus(message),
        };
    }

    private IngestionUnit ProcessSeal(VerifiedMessage verified)
    {
        var gateway = verified.Entry.Gateway!;
        if (!TryRead(verified, GatewayJsonContext.Default.SealMessage, m => (m.Version, m.GatewayId, m.SiteId, m.SentAt), out var message, out var refused))
        {
            return refused;
        }

        if (message.Events is not { Count: > 0 } events || events.Count > _options.MaxEventsPerMessage)
        {
            return verified.Rejected(ReasonCodes.Malformed, $"a seal message carries 1..{_options.MaxEventsPerMessage} events, this one {message.Events?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (null)"}");
        }

        var unit = verified.Unit();
        var resolved = new List<(SealEvent Seal, string Gtin, string Serial)>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var seal = events[i];
            if (seal is null)
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, ReasonCodes.Malformed, $"event {i} of the message is null", null));
                continue;
            }

            if (SealEventRules.Check(seal) is { } problem)
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, ReasonCodes.Malformed, problem, Bounded(seal.EventId)));
                continue;
            }

            if (!_clock.TryCheck(seal.SealedAt, $"event {seal.EventId}: sealedAt", out var code, out var reason))
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, code, reason, seal.EventId));
                continue;
            }

            if (!_events.TryResolveTag(seal.Tag, out var gtin, out var serial, out code, out reason))
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, code, $"event {seal.EventId}: {reason}", seal.EventId));
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
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, ReasonCodes.UnknownTag, $"event {seal.EventId}: tag {gtin}/{serial} was never issued", seal.EventId));
                continue;
            }

            var site = verified.Entry.Site!;
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
                NfcUid = NfcUid.Normalise(seal.NfcUid),
                Sequence = seal.Sequence,
                Attestation = attestation,
            };
            unit.Seals.Add(new SealToStore(
                seal.EventId, gtin, serial, gateway.Id, gateway.SiteId, seal.Line, seal.SealedAt, seal.SealType, NfcUid.Normalise(seal.NfcUid), seal.Sequence,
                attestation.Attested, JsonSerializer.Serialize(attestation, RecordJsonContext.Default.OriginAttestation),
                ContentHash(gateway.Id, seal, gtin, serial), JsonSerializer.Serialize(record, RecordJsonContext.Default.ProvenanceRecord),
                JsonSerializer.Serialize(AttestationInputs.Of(recent, _policy), RecordJsonContext.Default.AttestationInputs)));
        }

        return unit;
    }

    private IngestionUnit ProcessGnss(VerifiedMessage verified)
    {
        var gateway = verified.Entry.Gateway!;
        if (!TryRead(verified, GatewayJsonContext.Default.GnssMessage, m => (m.Version, m.GatewayId, m.SiteId, m.SentAt), out var message, out var refused))
        {
            return refused;
        }

        var unit = verified.Unit();
        var decoded = NmeaFixes.Decode(message.Nmea);
        if (decoded.Problems.Count > 0)
        {
            unit.DeadLetters.Add(new DeadLetter(verified.Topic, ReasonCodes.BadNmea, string.Join("; ", decoded.Problems.Take(20)), null));
        }

        var site = verified.Entry.Site!;
        var fence = site.Geofence();
        var accepted = 0;
        foreach (var fix in decoded.Fixes)
        {
            if (!_clock.TryCheck(fix.Time, "fix time", out var clockCode, out var clockReason))
            {
                unit.DeadLetters.Add(new DeadLetter(verified.Topic, clockCode, clockReason, null));
                continue;
            }

            _fixes.Add(gateway.Id, fix);
            accepted++;
            var point = new Core.Geo.GeoPoint(fix.Latitude, fix.Longitude);
            var body = new FixJournalBody(gateway.Id, gateway.SiteId, fix, fence.Contains(point), site.Center.DistanceToMeters(point));
            unit.Fixes.Add(new FixToStore($"{gateway.Id}/{fix.Time.UtcTicks}", JsonSerializer.Serialize(body, IngestionJsonContext.Default.FixJournalBody)));
        }

        if (accepted > 0)
        {
            unit.FixHistoryJson = _fixes.Serialize(gateway.Id);
        }

        return unit;
    }

    private IngestionUnit ProcessStatus(VerifiedMessage verified)
    {
        if (!TryRead(verified, GatewayJsonContext.Default.StatusMessage, m => (m.Version, m.GatewayId, m.SiteId, m.At), out var message, out var refused))
        {
            return refused;
        }

        if (message.State is not (StatusMessage.Online or StatusMessage.Offline))
        {
            return verified.Rejected(ReasonCodes.Malformed, $"status state must be '{StatusMessage.Online}' or '{StatusMessage.Offline}', got '{Bounded(message.State)}'");
        }

        var unit = verified.Unit();
        unit.Status = new GatewayStatusUpdate(message.State, message.At);
        return unit;
    }

    /// <summary>
    /// Reads a verified payload and applies the checks every kind shares: valid JSON of the kind, version 1, names the
    /// signer, sent within the time window. On failure <paramref name="refused"/> is the dead-lettered unit.
    /// </summary>
    private bool TryRead<T>(
        VerifiedMessage verified, JsonTypeInfo<T> type, Func<T, (int Version, string GatewayId, string SiteId, DateTimeOffset SentAt)> envelope,
        [NotNullWhen(true)] out T? message, out IngestionUnit refused)
        where T : class
    {
        refused = null!;
        if (!GatewayMessageCodec.TryReadPayload(verified.Body, type, out message, out var error))
        {
            refused = verified.Rejected(ReasonCodes.Malformed, error!);
            return false;
        }

        var gateway = verified.Entry.Gateway!;
        var (version, gatewayId, siteId, sentAt) = envelope(message!);
        if (version != 1)
        {
            refused = verified.Rejected(ReasonCodes.Malformed, $"payload version {version} is not supported (v must be 1)");
        }
        else if (gatewayId != gateway.Id || siteId != gateway.SiteId)
        {
            refused = verified.Rejected(ReasonCodes.WrongTopic, $"payload names gateway '{Bounded(gatewayId)}' at site '{Bounded(siteId)}', but the signer is '{gateway.Id}' at '{gateway.SiteId}'");
        }
        else if (!_clock.TryCheck(sentAt, "message time", out var code, out var reason))
        {
            refused = verified.Rejected(code, reason);
        }

        return refused is null;
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

    private static string? Bounded(string? text) => text is { Length: > 64 } ? text[..64] + "…" : text;

    private static byte[] ContentHash(string gatewayId, SealEvent seal, string gtin, string serial)
    {
        var canonical = string.Join('\n', gatewayId, seal.EventId, gtin, serial, seal.Line, seal.SealedAt.UtcTicks, seal.SealType, seal.NfcUid ?? string.Empty, seal.Sequence);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    private static readonly Encoding StrictAscii = Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>A message whose signature verified: what its units and dead letters are built from.</summary>
    private sealed record VerifiedMessage(string Topic, string Compact, ReadOnlyMemory<byte> Raw, byte[] Body, GatewayDirectory.Entry Entry)
    {
        public IngestionUnit Unit() => new() { Topic = Topic, GatewayId = Entry.Gateway!.Id, SourceGatewayId = Entry.Gateway.Id, Jws = Compact, RawMessage = Raw };

        public IngestionUnit Rejected(string code, string reason) => IngestionUnit.Rejected(Topic, Entry.Gateway!.Id, Raw, code, reason);
    }
}

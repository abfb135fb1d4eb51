using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Origin;
using Provenance.Core.Proofs;
using Provenance.Core.Records;
using Provenance.Core.Signing;

namespace Provenance.Api.Proofs;

/// <summary>
/// Re-checks a proof bundle from its own contents and one trusted key, the node's: the gateway key against the
/// fingerprint in the ledger record, every gateway signature, the seal message against the record, the issuance and
/// its commissioning event's hash, the origin attestation recomputed from the raw NMEA of the signed GNSS messages,
/// and the ledger inclusion proof (embedded: leaf, Merkle path, block header, node signature; Fabric: envelope, creator
/// signature, endorsements, write set, validation code, data hash, orderer signature). Names each part that fails.
/// Pure and thread-safe.
/// </summary>
public static class ProofVerifier
{
    public const string Issuance = "issuance";
    public const string Gateway = "gateway";
    public const string SealMessage = "seal-message";
    public const string Record = "record";
    public const string GnssMessages = "gnss-messages";
    public const string Origin = "origin";
    public const string Site = "site";
    public const string Ledger = "ledger";

    /// <summary>
    /// Checks a bundle. <paramref name="trustedNodeKeyPem"/>: the node key to trust; null trusts the key in the bundle (and
    /// says so). <paramref name="fabricTrust"/>: the Fabric MSPs whose CAs anchor a Fabric proof's signers; null checks
    /// the signatures with the certificates in the bundle only (and says so).
    /// </summary>
    public static ProofReport Verify(ProofBundle bundle, string? trustedNodeKeyPem = null, Fabric.MspTrust? fabricTrust = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var checks = new List<ProofCheck>();
        ProvenanceRecord? record = null;
        try
        {
            record = JsonSerializer.Deserialize(bundle.Seal.RecordJson, RecordJsonContext.Default.ProvenanceRecord);
        }
        catch (JsonException e)
        {
            checks.Add(Fail(Record, $"the ledger record is not valid JSON ({e.Message})"));
        }

        if (record is not null)
        {
            checks.Add(CheckRecord(bundle, record));
        }

        using var gatewayKey = TryImport(bundle.Gateway.PublicKeyPem);
        checks.Add(CheckGateway(bundle, record, gatewayKey));
        checks.Add(CheckSealMessage(bundle, record, gatewayKey));
        checks.Add(CheckIssuance(bundle, record));
        var fixes = CheckGnssMessages(bundle, gatewayKey, checks);
        checks.Add(CheckSite(bundle, record));
        checks.Add(CheckOrigin(bundle, record, fixes));
        checks.AddRange(ProofLedgerCheck.Run(bundle, record, trustedNodeKeyPem, fabricTrust));
        return new ProofReport(checks);
    }

    private static ProofCheck CheckRecord(ProofBundle bundle, ProvenanceRecord record)
    {
        if (record.Gtin != bundle.Bottle.Gtin || record.Serial != bundle.Bottle.Serial)
        {
            return Fail(Record, $"the ledger record is for {record.Gtin}/{record.Serial}, not this bottle {bundle.Bottle.Gtin}/{bundle.Bottle.Serial}");
        }

        if (record.EventId != bundle.Seal.EventId)
        {
            return Fail(Record, $"the ledger record is seal event {record.EventId}, the bundle names {bundle.Seal.EventId}");
        }

        if (Epc.ForBottle(record.Gtin, record.Serial).Uri != bundle.Bottle.Epc)
        {
            return Fail(Record, "the bottle's EPC does not match its GTIN and serial");
        }

        return Ok(Record, $"seal event {record.EventId} of {record.Gtin}/{record.Serial}, sealed {record.SealedAt:u} on line {record.Line}");
    }

    private static ProofCheck CheckGateway(ProofBundle bundle, ProvenanceRecord? record, ECDsa? key)
    {
        if (key is null)
        {
            return Fail(Gateway, "the gateway's public key is not a P-256 public key PEM");
        }

        var fingerprint = GatewayKeys.Fingerprint(key);
        if (fingerprint != bundle.Gateway.KeyFingerprint)
        {
            return Fail(Gateway, $"the gateway key's fingerprint is {fingerprint}, the registration says {bundle.Gateway.KeyFingerprint}");
        }

        if (record is not null && (record.GatewayKeyFingerprint != fingerprint || record.GatewayId != bundle.Gateway.Id || record.SiteId != bundle.Gateway.SiteId))
        {
            return Fail(Gateway, $"the ledger record names gateway {record.GatewayId} at {record.SiteId} with key {record.GatewayKeyFingerprint}; the bundle's registration is {bundle.Gateway.Id} at {bundle.Gateway.SiteId} with key {fingerprint}");
        }

        if (bundle.Gateway.RevokedAt is { } revoked && record is not null && revoked <= record.SealedAt)
        {
            return Fail(Gateway, $"the gateway was revoked at {revoked:u}, before the seal at {record.SealedAt:u}");
        }

        return Ok(Gateway, $"gateway {bundle.Gateway.Id} of site {bundle.Gateway.SiteId}, key {fingerprint}, registered {bundle.Gateway.RegisteredAt:u}");
    }

    private static ProofCheck CheckSealMessage(ProofBundle bundle, ProvenanceRecord? record, ECDsa? key)
    {
        if (!CompactJws.TryDecode(bundle.Seal.MessageJws, out var token, out var error))
        {
            return Fail(SealMessage, $"the seal message is not a JWS: {error}");
        }

        if (key is null || token!.KeyId != bundle.Gateway.Id || !CompactJws.Verify(token, key))
        {
            return Fail(SealMessage, $"the seal message's signature does not verify with gateway {bundle.Gateway.Id}'s key");
        }

        if (!GatewayMessageCodec.TryReadPayload(token.Payload, GatewayJsonContext.Default.SealMessage, out var message, out error))
        {
            return Fail(SealMessage, $"the signed seal message is not a seal payload: {error}");
        }

        if (message!.GatewayId != bundle.Gateway.Id || message.SiteId != bundle.Gateway.SiteId)
        {
            return Fail(SealMessage, $"the signed message is from {message.GatewayId} at {message.SiteId}");
        }

        var seal = message.Events.FirstOrDefault(e => e.EventId == bundle.Seal.EventId);
        if (seal is null)
        {
            return Fail(SealMessage, $"event {bundle.Seal.EventId} is not in the gateway's signed message");
        }

        if (!SameTag(seal.Tag, bundle.Bottle))
        {
            return Fail(SealMessage, $"the signed event sealed tag {seal.Tag}, not {bundle.Bottle.Gtin}/{bundle.Bottle.Serial}");
        }

        if (record is not null && (seal.Line != record.Line || seal.SealedAt != record.SealedAt || seal.SealType != record.SealType || seal.Sequence != record.Sequence || seal.NfcUid != record.NfcUid))
        {
            return Fail(SealMessage, "the ledger record's line, time, seal type, sequence or NFC UID differs from what the gateway signed");
        }

        return Ok(SealMessage, $"signed by gateway {bundle.Gateway.Id}: event {seal.EventId}, sealed {seal.SealedAt:u}");
    }

    private static ProofCheck CheckIssuance(ProofBundle bundle, ProvenanceRecord? record)
    {
        var issuance = bundle.Issuance;
        if (issuance.Gtin != bundle.Bottle.Gtin || issuance.Serial != bundle.Bottle.Serial)
        {
            return Fail(Issuance, "the issuance record is for another code");
        }

        if (record is not null && record.Lot != issuance.Lot)
        {
            return Fail(Issuance, $"issued in lot {issuance.Lot ?? "(none)"}, but the ledger record says lot {record.Lot ?? "(none)"}");
        }

        if (issuance.CommissioningEvent is not { } commissioning)
        {
            return Ok(Issuance, $"issued in batch {issuance.Batch}{(issuance.Lot is null ? string.Empty : $", lot {issuance.Lot}")} (no EPCIS commissioning event: issued before events were kept)");
        }

        var copy = commissioning.DeepClone().AsObject();
        copy.Remove("recordTime");
        var id = copy["eventID"]?.GetValue<string>();
        if (id != EpcisEventHash.Compute(copy, issuance.EventPrefixes))
        {
            return Fail(Issuance, "the commissioning event's eventID is not its CBV 2.0 hash: the event was altered");
        }

        var epcs = (copy["epcList"] as JsonArray ?? []).Select(e => e?.GetValue<string>()).ToList();
        if (!epcs.Contains(bundle.Bottle.Epc) || copy["ilmd"]?["cbvmda:lotNumber"]?.GetValue<string>() != issuance.Lot)
        {
            return Fail(Issuance, "the commissioning event does not commission this bottle in this lot");
        }

        return Ok(Issuance, $"commissioned by EPCIS event {id} in batch {issuance.Batch}{(issuance.Lot is null ? string.Empty : $", lot {issuance.Lot}")}");
    }

    private static List<GnssFix> CheckGnssMessages(ProofBundle bundle, ECDsa? key, List<ProofCheck> checks)
    {
        var fixes = new List<GnssFix>();
        var i = 0;
        foreach (var jws in bundle.Origin.GnssMessages)
        {
            i++;
            if (!CompactJws.TryDecode(jws, out var token, out _) || key is null || token!.KeyId != bundle.Gateway.Id || !CompactJws.Verify(token, key)
                || !GatewayMessageCodec.TryReadPayload(token.Payload, GatewayJsonContext.Default.GnssMessage, out var message, out _)
                || message!.GatewayId != bundle.Gateway.Id || message.SiteId != bundle.Gateway.SiteId)
            {
                checks.Add(Fail(GnssMessages, $"GNSS message {i} is not a gnss message signed by gateway {bundle.Gateway.Id}"));
                return [];
            }

            fixes.AddRange(NmeaFixes.Decode(message.Nmea).Fixes);
        }

        checks.Add(bundle.Origin.GnssMessages.Count == 0
            ? new ProofCheck(GnssMessages, ProofStatus.Pending, "no GNSS messages in the bundle")
            : Ok(GnssMessages, $"{bundle.Origin.GnssMessages.Count} GNSS message(s) signed by gateway {bundle.Gateway.Id}, {fixes.Count} fix(es) in their NMEA"));
        return fixes;
    }

    private static ProofCheck CheckSite(ProofBundle bundle, ProvenanceRecord? record)
    {
        if (bundle.Site.Id != bundle.Gateway.SiteId || (record is not null && record.SiteId != bundle.Site.Id))
        {
            return Fail(Site, $"the site {bundle.Site.Id} is not the gateway's and the record's site");
        }

        return bundle.Site.RadiusMeters is null && bundle.Site.Polygon is not { Count: >= 3 }
            ? Fail(Site, "the site has neither a radius nor a polygon")
            : Ok(Site, $"site {bundle.Site.Id} ({bundle.Site.Name}); its geofence is as the node states it, not anchored in the ledger");
    }

    private static ProofCheck CheckOrigin(ProofBundle bundle, ProvenanceRecord? record, List<GnssFix> fixes)
    {
        if (record is null)
        {
            return Fail(Origin, "no readable record to compare with");
        }

        if (!JsonEquals(bundle.Origin.Result, record.Attestation))
        {
            return Fail(Origin, "the attestation shown differs from the one in the ledger record");
        }

        if (bundle.Origin.Inputs is not { } inputs || bundle.Origin.Status != "complete")
        {
            return new ProofCheck(Origin, ProofStatus.Pending, bundle.Origin.Note ?? "the attestation's inputs are not in the bundle");
        }

        var byTime = fixes.GroupBy(f => f.Time).ToDictionary(g => g.Key, g => g.First());
        var missing = inputs.FixTimes.Where(t => !byTime.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            return Fail(Origin, $"{missing.Count} fix(es) the attestation used are not in the signed GNSS messages (first at {missing[0]:O})");
        }

        var used = inputs.FixTimes.Select(t => byTime[t]).ToList();
        var site = bundle.Site;
        IGeofence fence = site.Polygon is { Count: >= 3 } polygon
            ? new PolygonGeofence(polygon.Select(p => new GeoPoint(p[0], p[1])))
            : new CircularGeofence(new GeoPoint(site.Latitude, site.Longitude), site.RadiusMeters ?? 0);
        var recomputed = OriginAttestor.Attest(fence, new GeoPoint(site.Latitude, site.Longitude), used, record.SealedAt, inputs.Policy());
        if (!JsonEquals(recomputed, record.Attestation))
        {
            return Fail(Origin, $"recomputing the attestation from the raw NMEA gives {(recomputed.Attested ? "attested" : "not attested: " + string.Join(", ", recomputed.Failures))}, not what the record says");
        }

        return Ok(Origin, record.Attestation.Attested
            ? $"recomputed from {used.Count} signed fix(es): inside the geofence, {record.Attestation.DistanceMeters} m from the site, {record.Attestation.SatellitesUsed} satellites ({record.Attestation.BeiDouSatellitesUsed} BeiDou)"
            : $"recomputed from {used.Count} signed fix(es): not attested ({string.Join(", ", record.Attestation.Failures)}), as the record says");
    }

    private static bool SameTag(string tag, ProofBottle bottle)
    {
        if (TagReference.TryParseElementString(tag, out var gtin, out var serial))
        {
            return gtin == bottle.Gtin && serial == bottle.Serial;
        }

        return DigitalLink.TryParse(tag, out var link, out _) && link!.Gtin?.Value == bottle.Gtin && link.Serial == bottle.Serial;
    }

    private static bool JsonEquals(OriginAttestation a, OriginAttestation b) =>
        JsonSerializer.Serialize(a, RecordJsonContext.Default.OriginAttestation) == JsonSerializer.Serialize(b, RecordJsonContext.Default.OriginAttestation);

    private static ECDsa? TryImport(string pem)
    {
        try
        {
            return GatewayKeys.ImportPublicKeyPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            return null;
        }
    }

    internal static ProofCheck Ok(string part, string message) => new(part, ProofStatus.Verified, message);

    internal static ProofCheck Fail(string part, string message) => new(part, ProofStatus.Failed, message);
}

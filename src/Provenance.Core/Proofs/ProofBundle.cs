using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Provenance.Core.Origin;

namespace Provenance.Core.Proofs;

/// <summary>
/// Everything needed to check one bottle's story offline, without trusting the database it came from: the issuance
/// record, the gateway's registration and public key, its original signed seal message, the signed GNSS messages the
/// origin attestation used with the attestation's inputs, and the ledger inclusion proof. Binary values are lowercase
/// hex; texts that are hashed or signed (the record, the JWS messages) travel exactly as stored. The format is described
/// for verifiers in the README ("Checking a bottle yourself"). Immutable.
/// </summary>
public sealed record ProofBundle
{
    public const string TypeName = "provenance-proof-bundle";

    [JsonPropertyName("type")] public string Type { get; init; } = TypeName;
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("bottle")] public required ProofBottle Bottle { get; init; }
    [JsonPropertyName("issuance")] public required ProofIssuance Issuance { get; init; }
    [JsonPropertyName("gateway")] public required ProofGateway Gateway { get; init; }
    [JsonPropertyName("site")] public required ProofSite Site { get; init; }
    [JsonPropertyName("seal")] public required ProofSeal Seal { get; init; }
    [JsonPropertyName("origin")] public required ProofOrigin Origin { get; init; }
    [JsonPropertyName("ledger")] public required ProofLedger Ledger { get; init; }
}

/// <summary>The bottle: GTIN, serial and its EPC (canonical Digital Link).</summary>
public sealed record ProofBottle(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("epc")] string Epc);

/// <summary>The issuance record: lot, batch, when, and the EPCIS commissioning event (its eventID is its CBV 2.0 hash).</summary>
public sealed record ProofIssuance(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("lot")] string? Lot,
    [property: JsonPropertyName("batch")] long Batch,
    [property: JsonPropertyName("issuedAt")] DateTimeOffset? IssuedAt,
    [property: JsonPropertyName("commissioningEvent")] JsonObject? CommissioningEvent,
    [property: JsonPropertyName("eventPrefixes")] IReadOnlyDictionary<string, string>? EventPrefixes);

/// <summary>The gateway as registered: site, P-256 public key (SPKI PEM), its fingerprint, registration and revocation times.</summary>
public sealed record ProofGateway(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("publicKeyPem")] string PublicKeyPem,
    [property: JsonPropertyName("keyFingerprint")] string KeyFingerprint,
    [property: JsonPropertyName("registeredAt")] DateTimeOffset RegisteredAt,
    [property: JsonPropertyName("revokedAt")] DateTimeOffset? RevokedAt);

/// <summary>The site: reference point and geofence (a radius in metres, or a polygon of [lat, lon] pairs).</summary>
public sealed record ProofSite(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("lat")] double Latitude,
    [property: JsonPropertyName("lon")] double Longitude,
    [property: JsonPropertyName("radiusM")] double? RadiusMeters,
    [property: JsonPropertyName("polygon")] IReadOnlyList<double[]>? Polygon);

/// <summary>The seal: the provenance record exactly as the ledger holds it, and the gateway's original signed message (JWS compact).</summary>
public sealed record ProofSeal(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("record")] string RecordJson,
    [property: JsonPropertyName("message")] string MessageJws);

/// <summary>
/// The origin attestation's evidence: its inputs (fix times and thresholds), the gateway's signed GNSS messages that
/// carry those fixes as raw NMEA, and its result (which is also inside the record). <see cref="Status"/> is
/// <c>complete</c>, or <c>pending</c> with <see cref="Note"/> when the inputs were not recorded (seals from before
/// they were kept) or a message is no longer at hand.
/// </summary>
public sealed record ProofOrigin(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("inputs")] AttestationInputs? Inputs,
    [property: JsonPropertyName("gnssMessages")] IReadOnlyList<string> GnssMessages,
    [property: JsonPropertyName("result")] OriginAttestation Result);

/// <summary>
/// The ledger inclusion proof. Embedded engine: the entry's index, leaf hash and Merkle path, the block header bytes,
/// their hash and the node's ECDSA P-256 signature over them, and the node's public key (a verifier should pin the key
/// it trusts instead). Fabric: the transaction id and block number, and <see cref="Fabric"/> with the block evidence
/// (<c>included</c> only when all of it is present). <see cref="Status"/>: <c>included</c> or <c>pending</c> (not in a
/// block yet, or the block could not be fetched; <see cref="Missing"/> names what is absent).
/// </summary>
public sealed record ProofLedger
{
    [JsonPropertyName("engine")] public required string Engine { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
    [JsonPropertyName("index")] public long? Index { get; init; }
    [JsonPropertyName("leafHash")] public string? LeafHash { get; init; }
    [JsonPropertyName("merklePath")] public string? MerklePath { get; init; }
    [JsonPropertyName("blockHeight")] public long? BlockHeight { get; init; }
    [JsonPropertyName("blockHeader")] public string? BlockHeader { get; init; }
    [JsonPropertyName("blockHeaderHash")] public string? BlockHeaderHash { get; init; }
    [JsonPropertyName("blockSignature")] public string? BlockSignature { get; init; }
    [JsonPropertyName("nodePublicKeyPem")] public string? NodePublicKeyPem { get; init; }
    [JsonPropertyName("transactionId")] public string? TransactionId { get; init; }
    [JsonPropertyName("blockNumber")] public long? BlockNumber { get; init; }
    [JsonPropertyName("missing")] public IReadOnlyList<string>? Missing { get; init; }
    [JsonPropertyName("fabric")] public ProofFabricTransaction? Fabric { get; init; }
}

/// <summary>
/// A Fabric transaction's block evidence, exact bytes as lowercase hex: its envelope (payload with the proposal,
/// endorsements and write set, and the creator's signature), the block header (protobuf <c>common.BlockHeader</c>), the
/// block's other envelopes in order (this one goes at <see cref="TransactionIndex"/>; together they hash to the header's
/// data hash), the block's SIGNATURES metadata (<c>common.Metadata</c>: the orderer's signature over the header) and its
/// TRANSACTIONS_FILTER (one validation code per transaction, as the committing peer recorded it).
/// </summary>
public sealed record ProofFabricTransaction(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("transactionIndex")] int TransactionIndex,
    [property: JsonPropertyName("envelope")] string Envelope,
    [property: JsonPropertyName("blockHeader")] string BlockHeader,
    [property: JsonPropertyName("otherEnvelopes")] IReadOnlyList<string> OtherEnvelopes,
    [property: JsonPropertyName("blockSignatures")] string BlockSignatures,
    [property: JsonPropertyName("transactionsFilter")] string TransactionsFilter);

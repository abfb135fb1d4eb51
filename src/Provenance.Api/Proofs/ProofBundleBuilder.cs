using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Epcis;
using Provenance.Core.Proofs;
using Provenance.Core.Records;
using Provenance.Storage.Proofs;

namespace Provenance.Api.Proofs;

/// <summary>
/// Turns a bottle's stored evidence into a <see cref="ProofBundle"/>. Claims nothing it does not hold: a record not yet
/// in a signed block gives a ledger part marked <c>pending</c>, and attestation inputs not kept give an origin part
/// marked <c>pending</c>. Thread-safe.
/// </summary>
public sealed class ProofBundleBuilder(ProofEvidenceStore evidence, TimeProvider time)
{
    /// <summary>The bundle for a sealed bottle; null when the bottle was not issued or not sealed.</summary>
    public ProofBundle? Build(string gtin, string serial)
    {
        var e = evidence.Find(gtin, serial);
        if (e is null)
        {
            return null;
        }

        var record = JsonSerializer.Deserialize(e.RecordJson, RecordJsonContext.Default.ProvenanceRecord)!;
        var inputs = e.AttestationInputsJson is null ? null : JsonSerializer.Deserialize(e.AttestationInputsJson, RecordJsonContext.Default.AttestationInputs);
        var originNote = inputs is null
            ? "this seal was stored before the attestation's inputs were kept; the result is in the ledger record but cannot be recomputed"
            : e.MissingFixes > 0 ? $"{e.MissingFixes} of the fixes the attestation used are no longer at hand" : null;
        var site = e.Site;
        return new ProofBundle
        {
            CreatedAt = time.GetUtcNow(),
            Bottle = new ProofBottle(gtin, serial, Epc.ForBottle(gtin, serial).Uri),
            Issuance = new ProofIssuance(gtin, serial, e.Tag.Lot, e.Tag.BatchId, e.IssuedAt,
                e.CommissioningEventJson is null ? null : JsonNode.Parse(e.CommissioningEventJson)!.AsObject(),
                e.CommissioningPrefixesJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(e.CommissioningPrefixesJson)),
            Gateway = Gateway(e, record),
            Site = new ProofSite(site.Id, site.Name, site.Center.Latitude, site.Center.Longitude, site.RadiusMeters,
                site.Polygon?.Select(p => new[] { p.Latitude, p.Longitude }).ToList()),
            Seal = new ProofSeal(e.EventId, e.RecordJson, e.SealMessageJws),
            Origin = new ProofOrigin(originNote is null ? "complete" : "pending", originNote, inputs, e.GnssMessages, record.Attestation),
            Ledger = Ledger(e),
        };
    }

    /// <summary>
    /// The gateway with the key the seal was signed with, looked up in its key history by the fingerprint the ledger record
    /// names; the current key when the history does not hold it (then the verifier reports the mismatch on "gateway").
    /// </summary>
    private static ProofGateway Gateway(ProofEvidence e, ProvenanceRecord record)
    {
        var key = e.GatewayKeys.FirstOrDefault(k => k.KeyFingerprint == record.GatewayKeyFingerprint);
        return new ProofGateway(e.Gateway.Id, e.Gateway.SiteId, key?.PublicKeyPem ?? e.Gateway.PublicKeyPem, key?.KeyFingerprint ?? e.Gateway.KeyFingerprint,
            e.Gateway.CreatedAt, e.Gateway.RevokedAt);
    }

    private static ProofLedger Ledger(ProofEvidence e)
    {
        if (e.LedgerEntry is { } entry && e.LedgerBlock is { } block)
        {
            return new ProofLedger
            {
                Engine = "embedded",
                Status = "included",
                Index = entry.Index,
                LeafHash = Convert.ToHexStringLower(entry.LeafHash),
                MerklePath = Convert.ToHexStringLower(entry.MerklePath),
                BlockHeight = block.Header.Height,
                BlockHeader = Convert.ToHexStringLower(block.Header.ToBytes()),
                BlockHeaderHash = Convert.ToHexStringLower(block.HeaderHash),
                BlockSignature = Convert.ToHexStringLower(block.Signature),
                NodePublicKeyPem = e.NodePublicKeyPem,
            };
        }

        if (e.ExternalProof is { } fabric)
        {
            return new ProofLedger
            {
                Engine = fabric.Engine,
                Status = "partial",
                Note = "the transaction id and block number are kept; its envelope, endorsements and the orderer's block signature are not yet part of the bundle",
                TransactionId = fabric.TransactionId,
                BlockNumber = fabric.BlockNumber,
                Missing = ["envelope", "endorsements", "blockHeader", "ordererSignature"],
            };
        }

        return new ProofLedger
        {
            Engine = "embedded",
            Status = "pending",
            Note = "the record is not in a signed ledger block yet; ask again shortly",
        };
    }
}

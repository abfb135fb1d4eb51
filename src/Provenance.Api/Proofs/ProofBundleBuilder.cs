using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Epcis;
using Provenance.Core.Proofs;
using Provenance.Core.Records;
using Provenance.Storage.Ledger;
using Provenance.Storage.Proofs;

namespace Provenance.Api.Proofs;

/// <summary>
/// Turns a bottle's stored evidence into a <see cref="ProofBundle"/>. Claims nothing it does not hold: a record not yet
/// in a signed block gives a ledger part marked <c>pending</c>, and attestation inputs not kept give an origin part
/// marked <c>pending</c>. A record on Fabric gets its transaction's block evidence from <paramref name="fabric"/> (the
/// engine's peer); without it, or when the peer cannot be asked, the ledger part is <c>pending</c>. Thread-safe.
/// </summary>
public sealed class ProofBundleBuilder(ProofEvidenceStore evidence, TimeProvider time, IFabricProofSource? fabric = null)
{
    /// <summary>The bundle for a sealed bottle; null when the bottle was not issued or not sealed.</summary>
    public async Task<ProofBundle?> BuildAsync(string gtin, string serial, CancellationToken cancellationToken = default)
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
            Ledger = await LedgerAsync(e, cancellationToken).ConfigureAwait(false),
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

    private async Task<ProofLedger> LedgerAsync(ProofEvidence e, CancellationToken cancellationToken)
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

        if (e.ExternalProof is { } external)
        {
            return await FabricLedgerAsync(external, cancellationToken).ConfigureAwait(false);
        }

        return new ProofLedger
        {
            Engine = "embedded",
            Status = "pending",
            Note = "the record is not in a signed ledger block yet; ask again shortly",
        };
    }

    private async Task<ProofLedger> FabricLedgerAsync(StoredLedgerProof external, CancellationToken cancellationToken)
    {
        string why;
        if (fabric is null)
        {
            why = "this node is not connected to the Fabric peer that holds the block (configure Ledger:Fabric and ask the running node)";
        }
        else
        {
            try
            {
                var evidence = await fabric.FetchAsync(external.TransactionId, cancellationToken).ConfigureAwait(false);
                return new ProofLedger
                {
                    Engine = external.Engine,
                    Status = "included",
                    TransactionId = external.TransactionId,
                    BlockNumber = external.BlockNumber,
                    Fabric = evidence,
                };
            }
            catch (Exception x) when (x is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                why = $"the peer could not be asked for the block of transaction {external.TransactionId} ({x.Message}); ask again shortly";
            }
        }

        return new ProofLedger
        {
            Engine = external.Engine,
            Status = "pending",
            Note = why,
            TransactionId = external.TransactionId,
            BlockNumber = external.BlockNumber,
            Missing = ["envelope", "endorsements", "blockHeader", "blockData", "ordererSignature", "transactionsFilter"],
        };
    }
}

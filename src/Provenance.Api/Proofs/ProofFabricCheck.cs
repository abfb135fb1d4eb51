using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Core.Proofs;
using Provenance.Core.Records;
using Provenance.Fabric;

namespace Provenance.Api.Proofs;

/// <summary>
/// The ledger part of a proof for a record on Fabric: the transaction's block evidence checked by
/// <see cref="TransactionProofVerifier"/> (envelope, creator signature, endorsements, validation code, data hash,
/// orderer signature), and <see cref="Record"/>: the transaction's write set stores this bottle's record, with this
/// seal event, gateway, key, transaction id and the hash of the gateway's signed message. Pure.
/// </summary>
internal static class ProofFabricCheck
{
    public const string Record = "fabric-record";

    public static IEnumerable<ProofCheck> Run(ProofBundle bundle, ProvenanceRecord? record, MspTrust? trust)
    {
        var ledger = bundle.Ledger;
        if (ledger.Fabric is not { } fabric || ledger.TransactionId is not { } txId || ledger.BlockNumber is not { } number)
        {
            return [ProofVerifier.Fail(ProofVerifier.Ledger, "the Fabric inclusion proof is marked included but its transaction id, block number or block evidence is missing")];
        }

        if (!TryProof(fabric, txId, number, out var proof))
        {
            return [ProofVerifier.Fail(ProofVerifier.Ledger, "the Fabric block evidence is not hex")];
        }

        var report = TransactionProofVerifier.Verify(proof!, trust);
        var checks = report.Checks.Select(c => new ProofCheck(c.Part, c.Passed ? ProofStatus.Verified : ProofStatus.Failed, c.Message)).ToList();
        if (report.ChannelId is { } channel && channel != fabric.Channel)
        {
            checks.Add(ProofVerifier.Fail(TransactionProofVerifier.Envelope, $"the transaction is on channel {channel}, the bundle says {fabric.Channel}"));
        }

        checks.Add(CheckRecord(bundle, record, report, txId));
        return checks;
    }

    private static ProofCheck CheckRecord(ProofBundle bundle, ProvenanceRecord? record, TransactionProofReport report, string txId)
    {
        if (report.ChaincodeName is null)
        {
            return ProofVerifier.Fail(Record, "the transaction could not be read, so it cannot be tied to this record");
        }

        var key = $"\0tag\0{bundle.Bottle.Gtin}\0{bundle.Bottle.Serial}\0";
        var write = report.Writes.FirstOrDefault(w => w.Namespace == report.ChaincodeName && w.Key == key && !w.IsDelete);
        if (write is null)
        {
            return ProofVerifier.Fail(Record, $"transaction {txId} does not write the record of {bundle.Bottle.Gtin}/{bundle.Bottle.Serial} in chaincode {report.ChaincodeName}");
        }

        JsonElement stored;
        try
        {
            stored = JsonDocument.Parse(write.Value).RootElement.Clone();
        }
        catch (JsonException)
        {
            return ProofVerifier.Fail(Record, "the record the transaction writes is not JSON");
        }

        var messageHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(bundle.Seal.MessageJws)));
        var expected = new Dictionary<string, string?>
        {
            ["eventId"] = bundle.Seal.EventId,
            ["gtin"] = bundle.Bottle.Gtin,
            ["serial"] = bundle.Bottle.Serial,
            ["gatewayId"] = bundle.Gateway.Id,
            ["siteId"] = bundle.Gateway.SiteId,
            ["keyFingerprint"] = record?.GatewayKeyFingerprint ?? bundle.Gateway.KeyFingerprint,
            ["messageHash"] = messageHash,
            ["txId"] = txId,
        };
        var differing = expected.Where(kv => stored.ValueKind != JsonValueKind.Object || !stored.TryGetProperty(kv.Key, out var v)
            || v.ValueKind != JsonValueKind.String || v.GetString() != kv.Value).Select(kv => kv.Key).ToList();
        return differing.Count == 0
            ? ProofVerifier.Ok(Record, $"transaction {txId} stores this bottle's seal event {bundle.Seal.EventId} with the hash of the gateway's signed message (chaincode {report.ChaincodeName})")
            : ProofVerifier.Fail(Record, $"the record transaction {txId} stores for {bundle.Bottle.Gtin}/{bundle.Bottle.Serial} differs from this bundle in: {string.Join(", ", differing)}");
    }

    private static bool TryProof(ProofFabricTransaction fabric, string txId, long number, out TransactionProof? proof)
    {
        proof = null;
        try
        {
            proof = new TransactionProof(
                txId, (ulong)number, fabric.TransactionIndex, Convert.FromHexString(fabric.Envelope), Convert.FromHexString(fabric.BlockHeader),
                [.. fabric.OtherEnvelopes.Select(e => (ReadOnlyMemory<byte>)Convert.FromHexString(e))],
                Convert.FromHexString(fabric.BlockSignatures), Convert.FromHexString(fabric.TransactionsFilter));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

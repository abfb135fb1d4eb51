using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Core.Proofs;
using Provenance.Core.Records;
using Provenance.Fabric;
using Provenance.Storage.Ledger;

namespace Provenance.Api.Proofs;

/// <summary>
/// The ledger part of a proof: for the embedded ledger, the leaf recomputed from the record and the gateway's message,
/// followed up the Merkle path to the root in the block header, the header's hash, and the node's signature over it
/// (formats in docs/ledger-format.md); for Fabric, <see cref="ProofFabricCheck"/>. Pure.
/// </summary>
internal static class ProofLedgerCheck
{
    public static IEnumerable<ProofCheck> Run(ProofBundle bundle, ProvenanceRecord? record, string? trustedNodeKeyPem, MspTrust? fabricTrust)
    {
        var ledger = bundle.Ledger;
        if (ledger.Status != "included")
        {
            return [new ProofCheck(ProofVerifier.Ledger, ProofStatus.Pending, ledger.Note ?? $"the {ledger.Engine} ledger proof is {ledger.Status}")];
        }

        return ledger.Engine switch
        {
            "embedded" => [Embedded(bundle, trustedNodeKeyPem)],
            "fabric" => ProofFabricCheck.Run(bundle, record, fabricTrust),
            _ => [ProofVerifier.Fail(ProofVerifier.Ledger, $"unknown ledger engine {ledger.Engine}")],
        };
    }

    private static ProofCheck Embedded(ProofBundle bundle, string? trustedNodeKeyPem)
    {
        var ledger = bundle.Ledger;

        if (ledger.Index is not { } index || !TryHex(ledger.LeafHash, out var leaf) || !TryHex(ledger.MerklePath, out var path)
            || !TryHex(ledger.BlockHeader, out var header) || !TryHex(ledger.BlockHeaderHash, out var headerHash) || !TryHex(ledger.BlockSignature, out var signature))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, "the inclusion proof is incomplete or not hex");
        }

        var recomputed = LedgerHashing.LeafHash(index, bundle.Seal.EventId, bundle.Seal.RecordJson, LedgerHashing.MessageHash(bundle.Seal.MessageJws));
        if (!recomputed.AsSpan().SequenceEqual(leaf))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, $"the leaf hash of entry {index} does not match the record and the gateway's message");
        }

        if (header.Length != LedgerBlockHeader.Length || !header.AsSpan(0, LedgerBlockHeader.Tag.Length).SequenceEqual(LedgerBlockHeader.Tag))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, "the block header is not a provenance-block-v2 header");
        }

        var first = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(27));
        var count = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(35));
        var root = header.AsSpan(71, 32).ToArray();
        if (index < first || index >= first + count)
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, $"entry {index} is outside the block's range {first}..{first + count - 1}");
        }

        if (MerkleTree.RootFromPath(leaf, path) is not { } top || !top.AsSpan().SequenceEqual(root))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, "the Merkle path does not lead from the entry to the block's root");
        }

        if (!SHA256.HashData(header).AsSpan().SequenceEqual(headerHash))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, "the block header hash does not match the header");
        }

        var keyPem = trustedNodeKeyPem ?? ledger.NodePublicKeyPem;
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, "no usable node public key");
        }

        if (!LedgerHashing.Verify(key, header, signature))
        {
            return ProofVerifier.Fail(ProofVerifier.Ledger, $"the block header is not signed by the node key {Fingerprint(key)}{(trustedNodeKeyPem is null ? " given in the bundle" : " you trust")}");
        }

        var height = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(19));
        return ProofVerifier.Ok(ProofVerifier.Ledger, $"entry {index} is in block {height}, signed by node key {Fingerprint(key)}" +
            (trustedNodeKeyPem is null ? " (the key given in the bundle: pass the key you trust with --node-public-key)" : " (the key you trust)"));
    }

    private static string Fingerprint(ECDsa key) => Core.Signing.GatewayKeys.Fingerprint(key);

    private static bool TryHex(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length % 2 != 0)
        {
            return text == string.Empty;
        }

        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

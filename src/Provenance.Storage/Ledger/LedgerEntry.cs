namespace Provenance.Storage.Ledger;

/// <summary>
/// One entry of the embedded ledger: the provenance record, the gateway message it came in (by id; the message's JWS
/// is hashed into the leaf), the block that holds it, its leaf hash and its Merkle inclusion path in that block
/// (<see cref="MerkleTree"/> encoding). Immutable.
/// </summary>
public sealed record LedgerEntry(long Index, string EventId, string RecordJson, long MessageId, long BlockHeight, byte[] LeafHash, byte[] MerklePath);

namespace Provenance.Storage.Ledger;

/// <summary>
/// One entry of the embedded ledger: the provenance record, the gateway's original signed message, the previous
/// entry's hash, this entry's hash and the node's signature over it.
/// </summary>
public sealed record LedgerEntry(long Index, string EventId, string RecordJson, string MessageJws, byte[] PreviousHash, byte[] EntryHash, byte[] Signature, DateTimeOffset AppendedAt);

namespace Provenance.Storage.Ledger;

/// <summary>A stored block of the embedded ledger: its header and the node's signature over the header bytes (IEEE P1363 r‖s). Immutable.</summary>
public sealed record LedgerBlock(LedgerBlockHeader Header, byte[] HeaderHash, byte[] Signature);

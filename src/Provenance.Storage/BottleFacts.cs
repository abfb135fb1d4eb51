namespace Provenance.Storage;

/// <summary>
/// Everything stored about one bottle that a scan verdict needs, read at one point in time: its registry row (null
/// when never issued), seal with ledger proof, the earliest event of each kind covering it (by serial or lot, oldest
/// first), the shipment that allocated it, and its most recent scans (oldest first).
/// </summary>
public sealed record BottleFacts(IssuedTag? Tag, StoredSeal? Seal, IReadOnlyList<TagEvent> Events, StoredShipment? Shipment, IReadOnlyList<ScanRecord> History);

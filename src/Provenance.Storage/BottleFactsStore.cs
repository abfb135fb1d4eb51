using Microsoft.Data.Sqlite;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Reads a bottle's verdict facts (<see cref="BottleFacts"/>) in one SQL statement on one connection: the registry
/// row, seal, tag events, shipment and recent scans come back as rows of one <c>UNION ALL</c>, told apart by their first
/// column, each part an index lookup. The same facts <see cref="TagStore.Find"/>, <see cref="SealStore.FindByTag"/>,
/// <see cref="TagEventStore.For"/>, <see cref="ShipmentStore.FindForTag"/> and <see cref="ScanStore.History"/> read in
/// five. Thread-safe.
/// </summary>
public sealed class BottleFactsStore(ProvenanceDatabase database)
{
    // Every part has 15 columns: the part's name, then its own columns padded with NULLs.
    private const string Query =
        "SELECT 'tag', t.lot, t.batch_id, t.status, p.name, p.brand, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM tags t LEFT JOIN products p ON p.gtin = t.gtin WHERE t.gtin = $g AND t.serial = $s " +
        "UNION ALL SELECT 'seal', s.event_id, s.gateway_id, s.site_id, si.name, s.line, s.sealed_at, s.seal_type, s.nfc_uid, s.attested, s.attestation_json, l.idx, l.entry_hash, p.tx_id, p.block_number " +
        "FROM seals s LEFT JOIN sites si ON si.id = s.site_id LEFT JOIN ledger l ON l.event_id = s.event_id " +
        "LEFT JOIN ledger_proofs p ON p.event_id = s.event_id WHERE s.gtin = $g AND s.serial = $s " +
        "UNION ALL SELECT 'event', kind, serial, lot, MIN(at), reason, source, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM tag_events " +
        "WHERE gtin = $g AND (serial = $s OR (serial IS NULL AND lot = (SELECT lot FROM tags WHERE gtin = $g AND serial = $s))) GROUP BY kind, serial IS NULL " +
        "UNION ALL SELECT 'shipment', s.id, s.distributor_id, s.region_json, s.tag_count, s.created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = $g AND t.serial = $s " +
        "UNION ALL SELECT 'scan', scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m, NULL, NULL, NULL, NULL, NULL, NULL " +
        "FROM (SELECT scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m FROM scans WHERE gtin = $g AND serial = $s ORDER BY scanned_at DESC LIMIT $n)";

    /// <summary>The bottle's facts with at most <paramref name="historyLimit"/> of its most recent scans.</summary>
    public BottleFacts Find(string gtin, string serial, int historyLimit = 200)
    {
        using var c = database.Connect();
        using var cmd = c.Command(Query).With("$g", gtin).With("$s", serial).With("$n", historyLimit);
        using var r = cmd.ExecuteReader();
        IssuedTag? tag = null;
        StoredSeal? seal = null;
        StoredShipment? shipment = null;
        var events = new List<TagEvent>();
        var history = new List<ScanRecord>();
        while (r.Read())
        {
            switch (r.GetString(0))
            {
                case "tag":
                    tag = new IssuedTag(gtin, serial, r.NullableString(1), r.GetInt64(2), r.GetString(3), r.NullableString(4), r.NullableString(5));
                    break;
                case "seal":
                    seal = ReadSeal(r);
                    break;
                case "event":
                    events.Add(new TagEvent(r.GetString(1), gtin, r.NullableString(2), r.NullableString(3), Sql.ParseTimestamp(r.GetString(4)), r.NullableString(5), r.NullableString(6)));
                    break;
                case "shipment":
                    shipment = new StoredShipment(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), Sql.ParseTimestamp(r.GetString(5)));
                    break;
                default:
                    history.Add(new ScanRecord(gtin, serial, Sql.ParseTimestamp(r.GetString(1)), r.GetString(2), r.NullableDouble(3), r.NullableDouble(4), r.NullableString(5), r.NullableString(6), r.NullableString(7), r.NullableDouble(8)));
                    break;
            }
        }

        events.Sort((a, b) => a.At.CompareTo(b.At));
        history.Sort((a, b) => a.ScannedAt.CompareTo(b.ScannedAt));
        return new BottleFacts(tag, seal, events, shipment, history);
    }

    private static StoredSeal ReadSeal(SqliteDataReader r) => new(
        r.GetString(1), r.GetString(2), r.GetString(3), r.NullableString(4), r.GetString(5), Sql.ParseTimestamp(r.GetString(6)), r.GetString(7), r.NullableString(8),
        r.GetInt64(9) != 0, r.GetString(10), r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? null : (byte[])r.GetValue(12),
        r.NullableString(13), r.IsDBNull(14) ? null : r.GetInt64(14));
}

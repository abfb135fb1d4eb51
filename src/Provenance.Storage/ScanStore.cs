using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Scan history. Thread-safe.</summary>
public sealed class ScanStore(ProvenanceDatabase database)
{
    public void Add(IReadOnlyList<ScanRecord> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        using var c = database.Connect();
        using var tx = c.BeginTransaction();
        using var insert = c.Command("INSERT INTO scans (gtin, serial, scanned_at, verdict, lat, lon, location_source, scanner) VALUES ($g, $s, $at, $v, $lat, $lon, $src, $sc)", tx);
        foreach (var scan in scans)
        {
            insert.Parameters.Clear();
            insert.With("$g", scan.Gtin).With("$s", scan.Serial).With("$at", Sql.Timestamp(scan.ScannedAt)).With("$v", scan.Verdict)
                .With("$lat", scan.Latitude).With("$lon", scan.Longitude).With("$src", scan.LocationSource).With("$sc", scan.Scanner).ExecuteNonQuery();
        }

        tx.Commit();
    }

    public long CountForTag(string gtin, string serial)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM scans WHERE gtin = $g AND serial = $s").With("$g", gtin).With("$s", serial).ScalarLong();
    }

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM scans").ScalarLong();
    }
}

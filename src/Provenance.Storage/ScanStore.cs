using System.Data;
using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Scan history. Thread-safe.</summary>
public sealed class ScanStore(ProvenanceDatabase database)
{
    public void Add(IReadOnlyList<ScanRecord> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        Insert(c, tx, scans);
        tx.Commit();
    }

    /// <summary>Records scans (and their journal entries for the time series) inside the caller's transaction.</summary>
    internal static void Insert(DbConnection c, DbTransaction tx, IEnumerable<ScanRecord> scans)
    {
        // Both statements are bound again row by row (not given new parameters per row: those were most of what
        // recording a scan allocated).
        using var insert = c.Command("INSERT INTO scans (gtin, serial, scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m) VALUES (@g, @s, @at, @v, @lat, @lon, @src, @sc, @cc, @acc) RETURNING id", tx);
        var (gtin, serial, at, verdict) = (insert.Parameter("@g", DbType.String), insert.Parameter("@s", DbType.String), insert.Parameter("@at", DbType.String), insert.Parameter("@v", DbType.String));
        var (lat, lon, accuracy) = (insert.Parameter("@lat", DbType.Double), insert.Parameter("@lon", DbType.Double), insert.Parameter("@acc", DbType.Double));
        var (source, scanner, country) = (insert.Parameter("@src", DbType.String), insert.Parameter("@sc", DbType.String), insert.Parameter("@cc", DbType.String));
        using var journal = c.Command("INSERT INTO journal (kind, event_id, body, created_at) VALUES ('scan', @e, @b, @at)", tx);
        var (eventId, body, createdAt) = (journal.Parameter("@e", DbType.String), journal.Parameter("@b", DbType.String), journal.Parameter("@at", DbType.String));
        foreach (var scan in scans)
        {
            var timestamp = Sql.Timestamp(scan.ScannedAt);
            gtin.Value = scan.Gtin;
            serial.Value = scan.Serial;
            at.Value = timestamp;
            verdict.Value = scan.Verdict;
            lat.Value = Sql.Portable(scan.Latitude);
            lon.Value = Sql.Portable(scan.Longitude);
            source.Value = Sql.Portable(scan.LocationSource);
            scanner.Value = Sql.Portable(scan.Scanner);
            country.Value = Sql.Portable(scan.Country);
            accuracy.Value = Sql.Portable(scan.AccuracyMeters);
            var id = insert.ScalarLong();
            eventId.Value = $"scan-{id}";
            createdAt.Value = timestamp;
            body.Value = System.Text.Json.JsonSerializer.Serialize(new { verdict = scan.Verdict, gtin = scan.Gtin, scannedAt = scan.ScannedAt });
            journal.ExecuteNonQuery();
        }
    }

    public long CountForTag(string gtin, string serial)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM scans WHERE gtin = @g AND serial = @s").With("@g", gtin).With("@s", serial).ScalarLong();
    }

    /// <summary>The most recent <paramref name="limit"/> scans of a tag, oldest first.</summary>
    public IReadOnlyList<ScanRecord> History(string gtin, string serial, int limit = 200)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT scanned_at, verdict, lat, lon, location_source, scanner, country, accuracy_m FROM " +
            "(SELECT * FROM scans WHERE gtin = @g AND serial = @s ORDER BY scanned_at DESC LIMIT @n) AS recent ORDER BY scanned_at")
            .With("@g", gtin).With("@s", serial).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<ScanRecord>();
        while (r.Read())
        {
            list.Add(new ScanRecord(gtin, serial, Sql.ParseTimestamp(r.GetString(0)), r.GetString(1), r.NullableDouble(2), r.NullableDouble(3), r.NullableString(4), r.NullableString(5), r.NullableString(6), r.NullableDouble(7)));
        }

        return list;
    }

    /// <summary>
    /// Rows in the scan history, cheaply: ids only grow and pruning removes the oldest, so the id range is the count
    /// (exact unless an insert was rolled back).
    /// </summary>
    public long StoredCount()
    {
        using var c = database.Connect();
        return c.Command("SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) FROM scans").ScalarLong();
    }

    /// <summary>
    /// Removes the oldest scans until at most <paramref name="keep"/> remain, <paramref name="chunk"/> rows per write
    /// transaction (so scans being recorded never wait long). Returns how many were removed.
    /// </summary>
    public long PruneOldest(long keep, int chunk = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        using var c = database.Connect();
        var removed = 0L;
        while (true)
        {
            var cut = c.Command("SELECT COALESCE(MAX(id), 0) - @keep FROM scans").With("@keep", keep).ScalarLong();
            int n;
            using (database.WriteLock.EnterScope())
            {
                n = c.Command("DELETE FROM scans WHERE id IN (SELECT id FROM scans WHERE id <= @cut ORDER BY id LIMIT @n)").With("@cut", cut).With("@n", chunk).ExecuteNonQuery();
            }

            removed += n;
            if (n < chunk)
            {
                if (removed > 0)
                {
                    database.TagChanges.PublishAll(); // readers holding pruned scans as history drop them
                }

                return removed;
            }
        }
    }

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM scans").ScalarLong();
    }
}

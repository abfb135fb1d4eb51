using System.Globalization;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Aggregates over the scan history for the producer's analytics; never returns a single scan. Thread-safe.</summary>
public sealed class ScanAnalyticsStore(ProvenanceDatabase database)
{
    // Shifts cell indexes positive before the integer cast so that it floors (SQLite's CAST truncates towards zero).
    private const int Offset = 1_000_000;

    /// <summary>
    /// Consumer scans with a location between <paramref name="from"/> (inclusive) and <paramref name="to"/> (exclusive),
    /// counted per hour, grid cell of <paramref name="cellDegrees"/>, country and verdict. Distributors' receipts are
    /// not consumer scans and are left out.
    /// </summary>
    public IReadOnlyList<ScanCellCount> CountCells(DateTimeOffset from, DateTimeOffset to, double cellDegrees, string? gtin = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellDegrees);
        using var c = database.Connect();
        // The offset keeps the quotient positive, so truncating it is flooring it; PostgreSQL's cast rounds, so it floors explicitly.
        var (latCell, lonCell) = c.IsPostgres()
            ? ($"CAST(floor(lat / @d + {Offset}) AS INTEGER) - {Offset}", $"CAST(floor(lon / @d + {Offset}) AS INTEGER) - {Offset}")
            : ($"CAST(lat / @d + {Offset} AS INTEGER) - {Offset}", $"CAST(lon / @d + {Offset} AS INTEGER) - {Offset}");
        using var cmd = c.Command(
            $"""
            SELECT substr(scanned_at, 1, 13), {latCell}, {lonCell},
                   country, verdict, COUNT(*)
            FROM scans
            WHERE scanned_at >= @from AND scanned_at < @to AND lat IS NOT NULL AND lon IS NOT NULL
              AND (location_source IS NULL OR location_source <> 'distributor') AND (CAST(@g AS TEXT) IS NULL OR gtin = @g)
            GROUP BY 1, 2, 3, 4, 5
            """)
            .With("@d", cellDegrees).With("@from", Sql.Timestamp(from)).With("@to", Sql.Timestamp(to)).With("@g", gtin);
        using var r = cmd.ExecuteReader();
        var rows = new List<ScanCellCount>();
        while (r.Read())
        {
            var hour = DateTimeOffset.ParseExact(r.GetString(0), "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            rows.Add(new ScanCellCount(hour, r.GetInt32(1), r.GetInt32(2), r.NullableString(3), r.GetString(4), r.GetInt64(5)));
        }

        return rows;
    }
}

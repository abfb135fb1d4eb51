using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// One custody scan of a bottle by a dealer: <c>in</c> (received; <see cref="Counterparty"/> is null) or <c>out</c>
/// (shipped to the child dealer <see cref="Counterparty"/>), from <c>api</c>, <c>receipt</c> or <c>epcis</c>, at a place
/// that was inside the scanning dealer's region (true), outside (false) or unknown (null).
/// </summary>
public sealed record CustodyEvent(
    long Id, string Gtin, string Serial, string Action, string DealerId, string? Counterparty, string? CaseCode, string Source,
    double? Lat, double? Lon, string? Country, bool? InsideRegion, DateTimeOffset At)
{
    public const string In = "in";
    public const string Out = "out";
}

/// <summary>The custody scans of bottles, in the order they were recorded. Thread-safe.</summary>
public sealed class CustodyStore(ProvenanceDatabase database)
{
    private const string Columns = "SELECT id, gtin, serial, action, dealer_id, counterparty, case_code, source, lat, lon, country, inside_region, at FROM custody_events";

    /// <summary>Records custody scans in one transaction (their ids are assigned here).</summary>
    public void Add(IReadOnlyCollection<CustodyEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        using var insert = c.Command(
            "INSERT INTO custody_events (gtin, serial, action, dealer_id, counterparty, case_code, source, lat, lon, country, inside_region, at) " +
            "VALUES (@g, @s, @a, @d, @cp, @case, @src, @lat, @lon, @c, @in, @at)", tx);
        foreach (var e in events)
        {
            insert.Parameters.Clear();
            insert.With("@g", e.Gtin).With("@s", e.Serial).With("@a", e.Action).With("@d", e.DealerId).With("@cp", e.Counterparty).With("@case", e.CaseCode)
                .With("@src", e.Source).With("@lat", e.Lat).With("@lon", e.Lon).With("@c", e.Country).With("@in", e.InsideRegion is { } inside ? (inside ? 1 : 0) : null)
                .With("@at", Sql.Timestamp(e.At)).ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>A bottle's custody scans, oldest first (at most 1,000).</summary>
    public IReadOnlyList<CustodyEvent> Chain(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} WHERE gtin = @g AND serial = @s ORDER BY id LIMIT 1000").With("@g", gtin).With("@s", serial);
        return Read(cmd);
    }

    /// <summary>A bottle's latest custody scan, or null.</summary>
    public CustodyEvent? Last(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} WHERE gtin = @g AND serial = @s ORDER BY id DESC LIMIT 1").With("@g", gtin).With("@s", serial);
        return Read(cmd).FirstOrDefault();
    }

    /// <summary>A dealer's custody totals: bottles whose latest scan is its own receipt, and its scans in and out.</summary>
    public (long HeldNow, long ScannedIn, long ScannedOut) Totals(string dealerId)
    {
        using var c = database.Connect();
        var held = c.Command(
            "SELECT COUNT(*) FROM custody_events e WHERE e.dealer_id = @d AND e.action = 'in' " +
            "AND e.id = (SELECT MAX(id) FROM custody_events l WHERE l.gtin = e.gtin AND l.serial = e.serial)").With("@d", dealerId).ScalarLong();
        var scannedIn = c.Command("SELECT COUNT(*) FROM custody_events WHERE dealer_id = @d AND action = 'in'").With("@d", dealerId).ScalarLong();
        var scannedOut = c.Command("SELECT COUNT(*) FROM custody_events WHERE dealer_id = @d AND action = 'out'").With("@d", dealerId).ScalarLong();
        return (held, scannedIn, scannedOut);
    }

    private static List<CustodyEvent> Read(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<CustodyEvent>();
        while (r.Read())
        {
            list.Add(new CustodyEvent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.NullableString(5), r.NullableString(6), r.GetString(7),
                r.NullableDouble(8), r.NullableDouble(9), r.NullableString(10), r.IsDBNull(11) ? null : r.GetInt64(11) == 1, Sql.ParseTimestamp(r.GetString(12))));
        }

        return list;
    }
}

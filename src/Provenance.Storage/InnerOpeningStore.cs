using System.Data.Common;
using Provenance.Storage.Epcis;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>The opening of a bottle by the first scan of its inner code: when (server time), the scan's coarse place, and how often the code was scanned since.</summary>
public sealed record InnerOpening(string Gtin, string Serial, DateTimeOffset OpenedAt, double? Latitude, double? Longitude, string? Country, int Scans);

/// <summary>
/// Inner-code scans. The first scan of a bottle's inner code is its opening, recorded once: <see cref="Open"/> inserts
/// it, the bottle's seal-opened tag event and its EPCIS event in one transaction, so of two concurrent first scans
/// exactly one opens the bottle and the other learns of that opening. Thread-safe.
/// </summary>
public sealed class InnerOpeningStore(ProvenanceDatabase database)
{
    /// <summary>
    /// Records a scan of the inner code of <paramref name="opening"/>'s bottle. The first one stores the opening (with
    /// <paramref name="openedEvent"/> and <paramref name="epcisEvent"/>); later ones only count. Returns the opening as
    /// stored and whether this scan was it.
    /// </summary>
    public (InnerOpening Opening, bool First) Open(InnerOpening opening, TagEvent openedEvent, EpcisEventRow epcisEvent)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(openedEvent);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var at = Sql.Timestamp(opening.OpenedAt);
        var inserted = c.Command(
                "INSERT INTO inner_openings (gtin, serial, opened_at, lat, lon, country, scans, last_at) VALUES (@g, @s, @at, @lat, @lon, @c, 1, @at) ON CONFLICT (gtin, serial) DO NOTHING", tx)
            .With("@g", opening.Gtin).With("@s", opening.Serial).With("@at", at).With("@lat", opening.Latitude).With("@lon", opening.Longitude).With("@c", opening.Country)
            .ExecuteNonQuery() == 1;
        if (inserted)
        {
            TagEventStore.Insert(c, tx, [openedEvent], epcisEvent, database.Time.GetUtcNow());
        }
        else
        {
            c.Command("UPDATE inner_openings SET scans = scans + 1, last_at = @at WHERE gtin = @g AND serial = @s", tx)
                .With("@g", opening.Gtin).With("@s", opening.Serial).With("@at", at).ExecuteNonQuery();
        }

        var stored = Find(c, tx, opening.Gtin, opening.Serial)!;
        tx.Commit();
        if (inserted)
        {
            database.TagChanges.Publish([new TagKey(opening.Gtin, opening.Serial)]);
        }

        return (stored, inserted);
    }

    /// <summary>The bottle's opening by its inner code, or null while the inner code was never scanned.</summary>
    public InnerOpening? Find(string gtin, string serial)
    {
        using var c = database.Connect();
        return Find(c, null, gtin, serial);
    }

    private static InnerOpening? Find(DbConnection c, DbTransaction? tx, string gtin, string serial)
    {
        using var cmd = c.Command("SELECT opened_at, lat, lon, country, scans FROM inner_openings WHERE gtin = @g AND serial = @s", tx).With("@g", gtin).With("@s", serial);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new InnerOpening(gtin, serial, Sql.ParseTimestamp(r.GetString(0)), r.NullableDouble(1), r.NullableDouble(2), r.NullableString(3), r.GetInt32(4)) : null;
    }
}

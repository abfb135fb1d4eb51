using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A shipment: which distributor, the sales region (JSON), how many tags, when.</summary>
public sealed record StoredShipment(long Id, string DistributorId, string RegionJson, long TagCount, DateTimeOffset CreatedAt);

/// <summary>
/// Cases (a case code aggregating bottle tags) and shipments (tags allocated to a distributor and region). A tag is in
/// at most one case and one shipment; a later shipment of the same tag re-allocates it. Thread-safe.
/// </summary>
public sealed class ShipmentStore(ProvenanceDatabase database)
{
    /// <summary>Creates (or extends) a case with the given bottles; returns how many were added.</summary>
    public int AddCase(string caseCode, IReadOnlyCollection<TagKey> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var tx = c.BeginTransaction();
        c.Command("INSERT OR IGNORE INTO cases (code, created_at) VALUES ($c, $at)", tx).With("$c", caseCode).With("$at", Sql.Timestamp(DateTimeOffset.UtcNow)).ExecuteNonQuery();
        using var insert = c.Command("INSERT OR REPLACE INTO case_tags (gtin, serial, case_code) VALUES ($g, $s, $c)", tx);
        var n = 0;
        foreach (var tag in tags)
        {
            insert.Parameters.Clear();
            n += insert.With("$g", tag.Gtin).With("$s", tag.Serial).With("$c", caseCode).ExecuteNonQuery();
        }

        tx.Commit();
        return n;
    }

    /// <summary>The bottles in a case (empty when the case is unknown).</summary>
    public IReadOnlyList<TagKey> CaseTags(string caseCode)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, serial FROM case_tags WHERE case_code = $c ORDER BY gtin, serial").With("$c", caseCode);
        return ReadKeys(cmd);
    }

    /// <summary>The issued tags of a lot.</summary>
    public IReadOnlyList<TagKey> LotTags(string gtin, string lot)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, serial FROM tags WHERE gtin = $g AND lot = $l ORDER BY serial").With("$g", gtin).With("$l", lot);
        return ReadKeys(cmd);
    }

    /// <summary>Creates a shipment of <paramref name="tags"/> (which must be issued) and returns it.</summary>
    public StoredShipment CreateShipment(string distributorId, string regionJson, IReadOnlyCollection<TagKey> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var now = DateTimeOffset.UtcNow;
        using var c = database.Connect();
        using var tx = c.BeginTransaction();
        var id = c.Command("INSERT INTO shipments (distributor_id, region_json, tag_count, created_at) VALUES ($d, $r, $n, $at) RETURNING id", tx)
            .With("$d", distributorId).With("$r", regionJson).With("$n", tags.Count).With("$at", Sql.Timestamp(now)).ScalarLong();
        using var insert = c.Command("INSERT OR REPLACE INTO shipment_tags (gtin, serial, shipment_id) VALUES ($g, $s, $id)", tx);
        foreach (var tag in tags)
        {
            insert.Parameters.Clear();
            insert.With("$g", tag.Gtin).With("$s", tag.Serial).With("$id", id).ExecuteNonQuery();
        }

        tx.Commit();
        return new StoredShipment(id, distributorId, regionJson, tags.Count, now);
    }

    /// <summary>Which of <paramref name="tags"/> a shipment already allocated, with that shipment's id (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<(TagKey Tag, long ShipmentId)> AlreadyShipped(IEnumerable<TagKey> tags, int limit)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var cmd = c.Command("SELECT shipment_id FROM shipment_tags WHERE gtin = $g AND serial = $s");
        var found = new List<(TagKey, long)>();
        foreach (var tag in tags)
        {
            cmd.Parameters.Clear();
            if (cmd.With("$g", tag.Gtin).With("$s", tag.Serial).ExecuteScalar() is long id)
            {
                found.Add((tag, id));
                if (found.Count >= limit)
                {
                    break;
                }
            }
        }

        return found;
    }

    public StoredShipment? FindShipment(long id)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, distributor_id, region_json, tag_count, created_at FROM shipments WHERE id = $id").With("$id", id);
        return ReadShipment(cmd);
    }

    /// <summary>The shipment that allocated a tag, or null.</summary>
    public StoredShipment? FindForTag(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT s.id, s.distributor_id, s.region_json, s.tag_count, s.created_at FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = $g AND t.serial = $s")
            .With("$g", gtin).With("$s", serial);
        return ReadShipment(cmd);
    }

    /// <summary>How many shipments a distributor has, and how many bottles are allocated to it now (re-assigned ones count for their new owner).</summary>
    public (long Shipments, long Bottles) Totals(string distributorId)
    {
        using var c = database.Connect();
        var shipments = c.Command("SELECT COUNT(*) FROM shipments WHERE distributor_id = $d").With("$d", distributorId).ScalarLong();
        var bottles = c.Command("SELECT COUNT(*) FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE s.distributor_id = $d").With("$d", distributorId).ScalarLong();
        return (shipments, bottles);
    }

    /// <summary>Shipments of one distributor, newest first.</summary>
    public IReadOnlyList<StoredShipment> ShipmentsOf(string distributorId, int limit)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, distributor_id, region_json, tag_count, created_at FROM shipments WHERE distributor_id = $d ORDER BY id DESC LIMIT $n")
            .With("$d", distributorId).With("$n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredShipment>();
        while (r.Read())
        {
            list.Add(new StoredShipment(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4))));
        }

        return list;
    }

    private static StoredShipment? ReadShipment(Microsoft.Data.Sqlite.SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StoredShipment(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4))) : null;
    }

    private static List<TagKey> ReadKeys(Microsoft.Data.Sqlite.SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<TagKey>();
        while (r.Read())
        {
            list.Add(new TagKey(r.GetString(0), r.GetString(1)));
        }

        return list;
    }
}

using System.Data;
using System.Data.Common;
using Provenance.Storage.Epcis;
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
    /// <summary>Creates (or extends) a case with the given bottles, and its EPCIS packing event when given; returns how many were added.</summary>
    public int AddCase(string caseCode, IReadOnlyCollection<TagKey> tags, EpcisEventRow? packing = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        var n = InsertCase(c, tx, caseCode, tags, database.Time.GetUtcNow());
        if (packing is not null)
        {
            EpcisEventStore.Insert(c, tx, packing, database.Time.GetUtcNow());
        }

        tx.Commit();
        return n;
    }

    internal static int InsertCase(DbConnection c, DbTransaction tx, string caseCode, IEnumerable<TagKey> tags, DateTimeOffset now)
    {
        c.Command("INSERT INTO cases (code, created_at) VALUES (@c, @at) ON CONFLICT DO NOTHING", tx).With("@c", caseCode).With("@at", Sql.Timestamp(now)).ExecuteNonQuery();
        using var insert = c.Command("INSERT INTO case_tags (gtin, serial, case_code) VALUES (@g, @s, @c) ON CONFLICT (gtin, serial) DO UPDATE SET case_code = excluded.case_code", tx);
        var n = 0;
        foreach (var tag in tags)
        {
            insert.Parameters.Clear();
            n += insert.With("@g", tag.Gtin).With("@s", tag.Serial).With("@c", caseCode).ExecuteNonQuery();
        }

        return n;
    }

    /// <summary>
    /// The bottles in a container of any level, at every depth below it (empty when it is unknown); the same as
    /// <see cref="Packaging.ContainerStore.ResolveBottles"/>.
    /// </summary>
    public IReadOnlyList<TagKey> CaseTags(string caseCode)
    {
        using var c = database.Connect();
        return Packaging.ContainerStore.BottlesBelow(c, null, caseCode);
    }

    /// <summary>The issued tags of a lot.</summary>
    public IReadOnlyList<TagKey> LotTags(string gtin, string lot)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, serial FROM tags WHERE gtin = @g AND lot = @l ORDER BY serial").With("@g", gtin).With("@l", lot);
        return ReadKeys(cmd);
    }

    /// <summary>
    /// Creates a shipment of <paramref name="tags"/> (which must be issued) and returns it; <paramref name="shipping"/>
    /// builds its EPCIS shipping event once the shipment has an id, stored in the same transaction.
    /// </summary>
    public StoredShipment CreateShipment(string distributorId, string regionJson, IReadOnlyCollection<TagKey> tags, Func<StoredShipment, EpcisEventRow>? shipping = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        var shipment = InsertShipment(c, tx, distributorId, regionJson, tags, database.Time.GetUtcNow());
        if (shipping is not null)
        {
            EpcisEventStore.Insert(c, tx, shipping(shipment), shipment.CreatedAt);
        }

        tx.Commit();
        database.TagChanges.Publish(tags);
        return shipment;
    }

    internal static StoredShipment InsertShipment(DbConnection c, DbTransaction tx, string distributorId, string regionJson, IReadOnlyCollection<TagKey> tags, DateTimeOffset now)
    {
        var id = c.Command("INSERT INTO shipments (distributor_id, region_json, tag_count, created_at) VALUES (@d, @r, @n, @at) RETURNING id", tx)
            .With("@d", distributorId).With("@r", regionJson).With("@n", tags.Count).With("@at", Sql.Timestamp(now)).ScalarLong();
        using var insert = c.Command("INSERT INTO shipment_tags (gtin, serial, shipment_id) VALUES (@g, @s, @id) ON CONFLICT (gtin, serial) DO UPDATE SET shipment_id = excluded.shipment_id", tx);
        foreach (var tag in tags)
        {
            insert.Parameters.Clear();
            insert.With("@g", tag.Gtin).With("@s", tag.Serial).With("@id", id).ExecuteNonQuery();
        }

        return new StoredShipment(id, distributorId, regionJson, tags.Count, now);
    }

    /// <summary>Which of <paramref name="tags"/> a shipment already allocated, with that shipment's id (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<(TagKey Tag, long ShipmentId)> AlreadyShipped(IEnumerable<TagKey> tags, int limit)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var cmd = c.Command("SELECT shipment_id FROM shipment_tags WHERE gtin = @g AND serial = @s");
        var found = new List<(TagKey, long)>();
        foreach (var tag in tags)
        {
            cmd.Parameters.Clear();
            if (cmd.With("@g", tag.Gtin).With("@s", tag.Serial).ExecuteScalar() is long id)
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
        using var cmd = c.Command("SELECT id, distributor_id, region_json, tag_count, created_at FROM shipments WHERE id = @id").With("@id", id);
        return ReadShipment(cmd);
    }

    /// <summary>The shipment that allocated a tag, or null.</summary>
    public StoredShipment? FindForTag(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT s.id, s.distributor_id, s.region_json, s.tag_count, s.created_at FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = @g AND t.serial = @s")
            .With("@g", gtin).With("@s", serial);
        return ReadShipment(cmd);
    }

    /// <summary>How many shipments a distributor has, and how many bottles are allocated to it now (re-assigned ones count for their new owner).</summary>
    public (long Shipments, long Bottles) Totals(string distributorId)
    {
        using var c = database.Connect();
        var shipments = c.Command("SELECT COUNT(*) FROM shipments WHERE distributor_id = @d").With("@d", distributorId).ScalarLong();
        var bottles = c.Command("SELECT COUNT(*) FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE s.distributor_id = @d").With("@d", distributorId).ScalarLong();
        return (shipments, bottles);
    }

    /// <summary>The bottles among <paramref name="tags"/> whose current shipment is to <paramref name="distributorId"/>.</summary>
    public IReadOnlyList<TagKey> AllocatedTo(string distributorId, IEnumerable<TagKey> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var c = database.Connect();
        using var cmd = c.Command("SELECT 1 FROM shipment_tags t JOIN shipments s ON s.id = t.shipment_id WHERE t.gtin = @g AND t.serial = @s AND s.distributor_id = @d");
        var g = cmd.Parameter("@g", DbType.String);
        var sParam = cmd.Parameter("@s", DbType.String);
        cmd.With("@d", distributorId);
        var list = new List<TagKey>();
        foreach (var tag in tags)
        {
            g.Value = tag.Gtin;
            sParam.Value = tag.Serial;
            if (cmd.ExecuteScalar() is not null)
            {
                list.Add(tag);
            }
        }

        return list;
    }

    /// <summary>Shipments of one distributor, newest first.</summary>
    public IReadOnlyList<StoredShipment> ShipmentsOf(string distributorId, int limit)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, distributor_id, region_json, tag_count, created_at FROM shipments WHERE distributor_id = @d ORDER BY id DESC LIMIT @n")
            .With("@d", distributorId).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredShipment>();
        while (r.Read())
        {
            list.Add(new StoredShipment(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4))));
        }

        return list;
    }

    private static StoredShipment? ReadShipment(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StoredShipment(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4))) : null;
    }

    private static List<TagKey> ReadKeys(DbCommand cmd)
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

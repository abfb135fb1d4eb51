using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>An alert for the producer: kind (<c>diverted</c>, <c>suspect_clone</c>, <c>unknown</c>, <c>receipt_mismatch</c>, <c>origin_not_attested</c>), the tag, the distributor involved, details as JSON.</summary>
public sealed record StoredAlert(long Id, string Kind, string? Gtin, string? Serial, string? DistributorId, string DetailJson, DateTimeOffset CreatedAt);

/// <summary>What to list: after a cursor (an alert id), of a kind, of a GTIN, since a time.</summary>
public sealed record AlertQuery(long After = 0, string? Kind = null, string? Gtin = null, DateTimeOffset? Since = null, string? DistributorId = null, int Limit = 100);

/// <summary>The alert feed, ordered by id (the pagination cursor). Thread-safe.</summary>
public sealed class AlertStore(ProvenanceDatabase database)
{
    public long Add(string kind, string? gtin, string? serial, string? distributorId, string detailJson, DateTimeOffset at)
    {
        using var c = database.Connect();
        return Insert(c, null, kind, gtin, serial, distributorId, detailJson, at);
    }

    /// <summary>
    /// Adds the alert unless one that <paramref name="existing"/> lists satisfies <paramref name="matches"/>: the check and
    /// the insert are one write transaction, so processes racing to raise the same once-per-window alert raise it once.
    /// Returns the new alert's id, or null when a matching one was there.
    /// </summary>
    public long? AddUnless(AlertQuery existing, Func<StoredAlert, bool> matches, string kind, string? gtin, string? serial, string? distributorId, string detailJson, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(matches);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        if (Read(c, tx, existing).Any(matches))
        {
            return null;
        }

        var id = Insert(c, tx, kind, gtin, serial, distributorId, detailJson, at);
        tx.Commit();
        return id;
    }

    public IReadOnlyList<StoredAlert> List(AlertQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var c = database.Connect();
        return Read(c, null, query);
    }

    private static long Insert(DbConnection c, DbTransaction? tx, string kind, string? gtin, string? serial, string? distributorId, string detailJson, DateTimeOffset at) =>
        c.Command("INSERT INTO alerts (kind, gtin, serial, distributor_id, detail_json, created_at) VALUES (@k, @g, @s, @d, @j, @at) RETURNING id", tx)
            .With("@k", kind).With("@g", gtin).With("@s", serial).With("@d", distributorId).With("@j", detailJson).With("@at", Sql.Timestamp(at)).ScalarLong();

    private static List<StoredAlert> Read(DbConnection c, DbTransaction? tx, AlertQuery query)
    {
        using var cmd = c.Command(
            "SELECT id, kind, gtin, serial, distributor_id, detail_json, created_at FROM alerts WHERE id > @after " +
            "AND (CAST(@k AS TEXT) IS NULL OR kind = @k) AND (CAST(@g AS TEXT) IS NULL OR gtin = @g) AND (CAST(@since AS TEXT) IS NULL OR created_at >= @since) AND (CAST(@d AS TEXT) IS NULL OR distributor_id = @d) ORDER BY id LIMIT @n", tx)
            .With("@after", query.After).With("@k", query.Kind).With("@g", query.Gtin).With("@since", query.Since is { } s ? Sql.Timestamp(s) : null)
            .With("@d", query.DistributorId).With("@n", query.Limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredAlert>();
        while (r.Read())
        {
            list.Add(new StoredAlert(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableString(3), r.NullableString(4), r.GetString(5), Sql.ParseTimestamp(r.GetString(6))));
        }

        return list;
    }

    /// <summary>How many alerts of each kind belong to a distributor.</summary>
    public IReadOnlyDictionary<string, long> CountByKind(string distributorId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT kind, COUNT(*) FROM alerts WHERE distributor_id = @d GROUP BY kind ORDER BY kind").With("@d", distributorId);
        using var r = cmd.ExecuteReader();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            counts[r.GetString(0)] = r.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Alerts per distributor and kind since <paramref name="since"/>, for every distributor that has any.</summary>
    public IReadOnlyList<(string DistributorId, string Kind, long Count)> CountByDistributor(DateTimeOffset since)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT distributor_id, kind, COUNT(*) FROM alerts WHERE distributor_id IS NOT NULL AND created_at >= @since GROUP BY distributor_id, kind ORDER BY distributor_id, kind")
            .With("@since", Sql.Timestamp(since));
        using var r = cmd.ExecuteReader();
        var rows = new List<(string, string, long)>();
        while (r.Read())
        {
            rows.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
        }

        return rows;
    }

    /// <summary>How many <c>diverted</c> alerts (since <paramref name="since"/>, or ever) name <paramref name="dealerId"/> as the responsible dealer, by grade (<c>detail.grade</c>).</summary>
    public IReadOnlyDictionary<string, long> CountDiversionByGrade(string dealerId, DateTimeOffset? since = null)
    {
        using var c = database.Connect();
        var (grade, dealer) = c.IsPostgres()
            ? ("CAST(detail_json AS jsonb) ->> 'grade'", "CAST(detail_json AS jsonb) ->> 'responsibleDealer'")
            : ("json_extract(detail_json, '$.grade')", "json_extract(detail_json, '$.responsibleDealer')");
        using var cmd = c.Command(
            $"SELECT {grade}, COUNT(*) FROM alerts WHERE kind = 'diverted' AND {dealer} = @d " +
            $"AND {grade} IS NOT NULL AND (CAST(@since AS TEXT) IS NULL OR created_at >= @since) GROUP BY 1 ORDER BY 1")
            .With("@d", dealerId).With("@since", since is { } s ? Sql.Timestamp(s) : null);
        using var r = cmd.ExecuteReader();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            counts[r.GetString(0)] = r.GetInt64(1);
        }

        return counts;
    }
}

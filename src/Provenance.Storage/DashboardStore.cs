using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Read-only queries behind the producer dashboard. Every query is bounded (by primary key ranges found with a
/// binary search, or by a row window), so polling it every few seconds stays cheap on a large database. Thread-safe.
/// </summary>
public sealed class DashboardStore(ProvenanceDatabase database)
{
    /// <summary>How many of the newest messages are looked at to find each gateway's last message.</summary>
    public const int MessageWindow = 20_000;

    /// <summary>How many of the newest seals are searched for failed origin attestations.</summary>
    public const int SealWindow = 50_000;

    /// <summary>
    /// The journal position just before the first entry created at or after <paramref name="since"/>, so that
    /// reading after it yields that entry first. Journal positions grow with creation time.
    /// </summary>
    public long JournalPositionBefore(DateTimeOffset since)
    {
        using var c = database.Connect();
        var low = c.Command("SELECT COALESCE(MIN(position), 1) FROM journal").ScalarLong();
        var high = c.Command("SELECT COALESCE(MAX(position), 0) FROM journal").ScalarLong();
        var stamp = Sql.Timestamp(since);
        using var probe = c.Command("SELECT created_at FROM journal WHERE position >= @p ORDER BY position LIMIT 1");
        var answer = high + 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            probe.Parameters.Clear();
            var createdAt = probe.With("@p", mid).ExecuteScalar() as string;
            if (createdAt is not null && string.CompareOrdinal(createdAt, stamp) >= 0)
            {
                answer = mid;
                high = mid - 1;
            }
            else
            {
                low = mid + 1;
            }
        }

        return answer - 1;
    }

    /// <summary>Every registered gateway with its site, its last status message and its last received message.</summary>
    public IReadOnlyList<GatewayActivity> Gateways()
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT g.id, g.site_id, s.name, g.last_status, g.last_status_at, g.revoked_at, m.last_at, f.updated_at, f.fixes_json, t.reported_json " +
            "FROM gateways g LEFT JOIN sites s ON s.id = g.site_id " +
            "LEFT JOIN (SELECT gateway_id, MAX(received_at) AS last_at FROM messages WHERE id > (SELECT COALESCE(MAX(id), 0) FROM messages) - @w GROUP BY gateway_id) m ON m.gateway_id = g.id " +
            "LEFT JOIN gateway_fixes f ON f.gateway_id = g.id LEFT JOIN gateway_twins t ON t.gateway_id = g.id ORDER BY g.id")
            .With("@w", MessageWindow);
        using var r = cmd.ExecuteReader();
        var list = new List<GatewayActivity>();
        while (r.Read())
        {
            list.Add(new GatewayActivity(
                r.GetString(0), r.GetString(1), r.NullableString(2), r.NullableString(3), Time(r.NullableString(4)), Time(r.NullableString(5)),
                Time(r.NullableString(6)), Time(r.NullableString(7)), r.NullableString(8), r.NullableString(9)));
        }

        return list;
    }

    /// <summary>The newest seals (within <see cref="SealWindow"/>) whose origin attestation failed, newest first.</summary>
    public IReadOnlyList<OriginFailureSeal> OriginFailures(int limit)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT s.event_id, s.gtin, s.serial, t.lot, s.site_id, s.gateway_id, s.line, s.sealed_at, s.attestation_json, l.idx, l.entry_hash " +
            "FROM seals s LEFT JOIN tags t ON t.gtin = s.gtin AND t.serial = s.serial LEFT JOIN ledger l ON l.event_id = s.event_id " +
            "WHERE s.rowid > (SELECT COALESCE(MAX(rowid), 0) FROM seals) - @w AND s.attested = 0 ORDER BY s.rowid DESC LIMIT @n")
            .With("@w", SealWindow).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<OriginFailureSeal>();
        while (r.Read())
        {
            list.Add(new OriginFailureSeal(
                r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                Sql.ParseTimestamp(r.GetString(7)), r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.IsDBNull(10) ? null : (byte[])r.GetValue(10)));
        }

        return list;
    }

    private static DateTimeOffset? Time(string? text) => text is null ? null : Sql.ParseTimestamp(text);
}

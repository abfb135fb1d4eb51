using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Reads the dead-letter store and how full it is. Thread-safe.</summary>
public sealed class DeadLetterStore(ProvenanceDatabase database, DeadLetterQuota? quota = null)
{
    private readonly DeadLetterQuota _quota = quota ?? new DeadLetterQuota();

    public IReadOnlyList<StoredDeadLetter> List(string? reasonCode = null, int limit = 100)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT d.id, d.received_at, d.topic, d.reason_code, d.reason, d.event_id, COALESCE(m.payload, d.payload), COALESCE(m.payload_length, length(d.payload)), d.message_id " +
            "FROM dead_letters d LEFT JOIN dead_letter_messages m ON m.id = d.message_id"
            + (reasonCode is null ? string.Empty : " WHERE d.reason_code = @c") + " ORDER BY d.id DESC LIMIT @n")
            .With("@c", reasonCode).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredDeadLetter>();
        while (r.Read())
        {
            list.Add(new StoredDeadLetter(
                r.GetInt64(0), Sql.ParseTimestamp(r.GetString(1)), r.NullableString(2), r.GetString(3), r.GetString(4), r.NullableString(5), (byte[])r.GetValue(6),
                r.GetInt64(7), r.IsDBNull(8) ? null : r.GetInt64(8)));
        }

        return list;
    }

    public IReadOnlyDictionary<string, long> CountByReason()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT reason_code, COUNT(*) FROM dead_letters GROUP BY reason_code");
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetInt64(1);
        }

        return map;
    }

    /// <summary>How full the store is against <see cref="DeadLetterQuota.MaxTotalBytes"/>, and how much was pruned.</summary>
    public DeadLetterQuotaStatus QuotaStatus()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT), CAST(COALESCE(SUM(messages), 0) AS BIGINT), CAST(COALESCE(SUM(pruned), 0) AS BIGINT) FROM dead_letter_usage");
        using var r = cmd.ExecuteReader();
        r.Read();
        return new DeadLetterQuotaStatus(r.GetInt64(0), _quota.MaxTotalBytes, r.GetInt64(1), r.GetInt64(2), _quota.NearQuotaPercent);
    }

    /// <summary>Bytes held per gateway (empty key: messages no gateway could be named for).</summary>
    public IReadOnlyDictionary<string, long> BytesByGateway()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gateway_id, bytes FROM dead_letter_usage WHERE messages > 0");
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetInt64(1);
        }

        return map;
    }
}

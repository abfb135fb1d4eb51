using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Reads the dead-letter store, and keeps what fails outside ingestion (webhook deliveries). Thread-safe.</summary>
public sealed class DeadLetterStore(ProvenanceDatabase database)
{
    /// <summary>Keeps something that will never succeed by retrying, with its reason code, reason and original bytes.</summary>
    public void Add(string reasonCode, string reason, string? eventId, ReadOnlySpan<byte> payload, DateTimeOffset at)
    {
        using var c = database.Connect();
        c.Command("INSERT INTO dead_letters (received_at, topic, reason_code, reason, event_id, payload) VALUES ($at, NULL, $c, $r, $e, $p)")
            .With("$at", Sql.Timestamp(at)).With("$c", reasonCode).With("$r", reason).With("$e", eventId).With("$p", payload.ToArray()).ExecuteNonQuery();
    }

    public IReadOnlyList<StoredDeadLetter> List(string? reasonCode = null, int limit = 100)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, received_at, topic, reason_code, reason, event_id, payload FROM dead_letters"
            + (reasonCode is null ? string.Empty : " WHERE reason_code = $c") + " ORDER BY id DESC LIMIT $n")
            .With("$c", reasonCode).With("$n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredDeadLetter>();
        while (r.Read())
        {
            list.Add(new StoredDeadLetter(r.GetInt64(0), Sql.ParseTimestamp(r.GetString(1)), r.NullableString(2), r.GetString(3), r.GetString(4), r.NullableString(5), (byte[])r.GetValue(6)));
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
}

using System.Data.Common;
using System.Text;
using Provenance.Storage.Ingestion;

namespace Provenance.Storage.Internal;

/// <summary>
/// Writes dead letters inside a commit's transaction: the rejected message's bytes once (cut to the quota's size) in
/// <c>dead_letter_messages</c>, each reason in <c>dead_letters</c>, the usage per gateway in <c>dead_letter_usage</c>;
/// then prunes the oldest messages of a gateway over its quota, and of everyone over the total. Not thread-safe:
/// one per transaction.
/// </summary>
internal sealed class DeadLetterWriter(DbConnection c, DbTransaction tx, DeadLetterQuota quota, string now, IngestionOutcome outcome)
{
    public const int MaxReasonChars = 1000;
    public const int MaxTopicChars = 256;
    public const int MaxEventIdChars = 128;

    // Each letter row costs this much besides its reason (ids, times, codes, index entries), for the quota.
    private const int RowOverhead = 64;

    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    /// <summary>Stores a message's bytes for its dead letters and returns the row id.</summary>
    public long AddMessage(string? topic, string gatewayId, ReadOnlySpan<byte> payload)
    {
        var kept = payload[..Math.Min(payload.Length, quota.MaxPayloadBytes)];
        var id = c.Command("INSERT INTO dead_letter_messages (received_at, topic, gateway_id, payload, payload_length, size) VALUES (@at, @t, @g, @p, @n, @s) RETURNING id", tx)
            .With("@at", now).With("@t", Cut(topic, MaxTopicChars)).With("@g", gatewayId).With("@p", kept.ToArray()).With("@n", payload.Length)
            .With("@s", kept.Length + RowOverhead).ScalarLong();
        Use(gatewayId, kept.Length + RowOverhead, messages: 1);
        return id;
    }

    /// <summary>Stores one reason for a message stored with <see cref="AddMessage"/>.</summary>
    public void AddLetter(long messageId, string gatewayId, DeadLetter letter)
    {
        var reason = Cut(letter.Reason, MaxReasonChars)!;
        c.Command("INSERT INTO dead_letters (received_at, topic, reason_code, reason, event_id, payload, message_id) VALUES (@at, @t, @c, @r, @e, @none, @m)", tx)
            .With("@at", now).With("@t", Cut(letter.Topic, MaxTopicChars)).With("@c", letter.ReasonCode).With("@r", reason)
            .With("@e", Cut(letter.EventId, MaxEventIdChars)).With("@none", Array.Empty<byte>()).With("@m", messageId).ExecuteNonQuery();
        var size = Encoding.UTF8.GetByteCount(reason) + RowOverhead;
        c.Command("UPDATE dead_letter_messages SET size = size + @s WHERE id = @m", tx).With("@s", size).With("@m", messageId).ExecuteNonQuery();
        Use(gatewayId, size, messages: 0);
        outcome.CountDeadLetter(letter.ReasonCode);
    }

    /// <summary>Deletes the oldest dead-letter messages of each gateway written to that is over its quota, then of everyone over the total.</summary>
    public void Prune()
    {
        foreach (var gatewayId in _touched)
        {
            PruneWhile("WHERE gateway_id = @g", gatewayId, () => Usage(gatewayId) > quota.MaxBytesPerGateway);
        }

        PruneWhile(string.Empty, null, () => TotalUsage() > quota.MaxTotalBytes);
    }

    private void PruneWhile(string where, string? gatewayId, Func<bool> over)
    {
        while (over())
        {
            var oldest = new List<(long Id, string GatewayId, long Size)>();
            using (var cmd = c.Command($"SELECT id, gateway_id, size FROM dead_letter_messages {where} ORDER BY id LIMIT 64", tx).With("@g", gatewayId))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    oldest.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2)));
                }
            }

            if (oldest.Count == 0)
            {
                return;
            }

            foreach (var (id, owner, size) in oldest)
            {
                c.Command("DELETE FROM dead_letters WHERE message_id = @m", tx).With("@m", id).ExecuteNonQuery();
                c.Command("DELETE FROM dead_letter_messages WHERE id = @m", tx).With("@m", id).ExecuteNonQuery();
                c.Command("UPDATE dead_letter_usage SET bytes = bytes - @s, messages = messages - 1, pruned = pruned + 1 WHERE gateway_id = @g", tx)
                    .With("@s", size).With("@g", owner).ExecuteNonQuery();
                outcome.DeadLettersPruned++;
                if (!over())
                {
                    return;
                }
            }
        }
    }

    private void Use(string gatewayId, long bytes, int messages)
    {
        _touched.Add(gatewayId);
        c.Command("INSERT INTO dead_letter_usage (gateway_id, bytes, messages) VALUES (@g, @b, @n) ON CONFLICT(gateway_id) DO UPDATE SET bytes = dead_letter_usage.bytes + excluded.bytes, messages = dead_letter_usage.messages + excluded.messages", tx)
            .With("@g", gatewayId).With("@b", bytes).With("@n", messages).ExecuteNonQuery();
    }

    private long Usage(string gatewayId) =>
        c.Command("SELECT bytes FROM dead_letter_usage WHERE gateway_id = @g", tx).With("@g", gatewayId).ScalarLong();

    private long TotalUsage() => c.Command("SELECT COALESCE(SUM(bytes), 0) FROM dead_letter_usage", tx).ScalarLong();

    /// <summary>
    /// The text as the store keeps it: at most <paramref name="max"/> characters, and NUL shown as U+FFFD, which
    /// PostgreSQL cannot store in text (a gateway's malformed event id must not make its dead letter unstorable, or the
    /// message would be redelivered forever; its bytes are kept unchanged in the payload).
    /// </summary>
    private static string? Cut(string? text, int max)
    {
        var kept = text is null || text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
        return kept?.Replace('\0', '\uFFFD');
    }
}

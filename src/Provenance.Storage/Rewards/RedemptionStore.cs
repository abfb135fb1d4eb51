using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Rewards;

/// <summary>
/// Redemptions of inner codes. A claim is decided in one write transaction: one redemption ever per inner code (the
/// table's unique key), the campaign's limits counted, and the amount reserved from the budget by a conditional update
/// that cannot take the campaign past it, however many claims run at once. A rejection returns its amount to the
/// budget in the same transaction that records it. Thread-safe.
/// </summary>
public sealed class RedemptionStore(ProvenanceDatabase database)
{
    /// <summary>Claims <paramref name="candidate"/>'s inner code for its campaign under <paramref name="limits"/>.</summary>
    public ClaimResult Claim(StoredRedemption candidate, ClaimLimits limits)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(limits);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        if (Find(c, tx, "gtin = @g AND serial = @s", ("@g", candidate.Gtin), ("@s", candidate.Serial)) is { } existing)
        {
            return new ClaimResult(ClaimOutcome.AlreadyRedeemed, existing);
        }

        if (candidate.Amount > 0)
        {
            if (Exceeded(c, tx, candidate, limits) is { } limit)
            {
                return new ClaimResult(limit, null);
            }

            var reserved = c.Command("UPDATE reward_campaigns SET reserved = reserved + @a WHERE id = @c AND reserved + @a <= budget", tx)
                .With("@a", candidate.Amount).With("@c", candidate.CampaignId).ExecuteNonQuery() == 1;
            if (!reserved)
            {
                return new ClaimResult(ClaimOutcome.BudgetExhausted, null);
            }
        }

        var stored = candidate.Status == RedemptionStatus.Approved ? candidate with { PayoutState = PayoutState.Pending } : candidate;
        c.Command(
                "INSERT INTO reward_redemptions (id, campaign_id, gtin, serial, user_id, device_id, network, user_agent, lat, lon, country, tier, amount, status, score, reasons_json, created_at, payout_state, payout_seq) " +
                "VALUES (@id, @c, @g, @s, @u, @d, @n, @ua, @lat, @lon, @co, @t, @a, @st, @sc, @r, @at, @ps, @seq)", tx)
            .With("@id", stored.Id).With("@c", stored.CampaignId).With("@g", stored.Gtin).With("@s", stored.Serial).With("@u", stored.UserId).With("@d", stored.DeviceId)
            .With("@n", stored.Network).With("@ua", stored.UserAgent).With("@lat", stored.Latitude).With("@lon", stored.Longitude).With("@co", stored.Country)
            .With("@t", stored.Tier).With("@a", stored.Amount).With("@st", stored.Status).With("@sc", stored.Score).With("@r", stored.ReasonsJson)
            .With("@at", Sql.Timestamp(stored.CreatedAt)).With("@ps", stored.PayoutState).With("@seq", stored.PayoutState is null ? null : NextPayoutSeq(c, tx))
            .ExecuteNonQuery();
        tx.Commit();
        return new ClaimResult(ClaimOutcome.Stored, stored);
    }

    /// <summary>
    /// A reviewer's decision on a held redemption of campaign <paramref name="campaignId"/>: approve queues its payout,
    /// reject returns its amount to the budget. Null when there is no such redemption in that campaign; the redemption
    /// unchanged (not held any more) when it was decided before.
    /// </summary>
    public (StoredRedemption Redemption, bool Changed)? Decide(string campaignId, string id, bool approve, string decidedBy, DateTimeOffset now)
    {
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var found = Find(c, tx, "id = @id AND campaign_id = @c", ("@id", id), ("@c", campaignId));
        if (found is null || found.Status != RedemptionStatus.Held)
        {
            return found is null ? null : (found, false);
        }

        if (approve)
        {
            c.Command("UPDATE reward_redemptions SET status = 'approved', decided_at = @at, decided_by = @by, payout_state = 'pending', payout_seq = @seq WHERE id = @id", tx)
                .With("@at", Sql.Timestamp(now)).With("@by", decidedBy).With("@seq", NextPayoutSeq(c, tx)).With("@id", id).ExecuteNonQuery();
        }
        else
        {
            c.Command("UPDATE reward_redemptions SET status = 'rejected', decided_at = @at, decided_by = @by WHERE id = @id", tx)
                .With("@at", Sql.Timestamp(now)).With("@by", decidedBy).With("@id", id).ExecuteNonQuery();
            c.Command("UPDATE reward_campaigns SET reserved = reserved - @a WHERE id = @c", tx).With("@a", found.Amount).With("@c", campaignId).ExecuteNonQuery();
        }

        var decided = Find(c, tx, "id = @id", ("@id", id))!;
        tx.Commit();
        return (decided, true);
    }

    /// <summary>The redemption of a bottle's inner code, or null.</summary>
    public StoredRedemption? FindForCode(string gtin, string serial)
    {
        using var c = database.Connect();
        return Find(c, null, "gtin = @g AND serial = @s", ("@g", gtin), ("@s", serial));
    }

    /// <summary>Redemption <paramref name="id"/> of campaign <paramref name="campaignId"/>, or null.</summary>
    public StoredRedemption? Find(string campaignId, string id)
    {
        using var c = database.Connect();
        return Find(c, null, "id = @id AND campaign_id = @c", ("@id", id), ("@c", campaignId));
    }

    /// <summary>A campaign's redemptions, oldest first, optionally of one status.</summary>
    public IReadOnlyList<StoredRedemption> List(string campaignId, string? status, int offset, int limit)
    {
        using var c = database.Connect();
        return Query(c, null, "campaign_id = @c AND (CAST(@st AS TEXT) IS NULL OR status = @st) ORDER BY created_at, id LIMIT @n OFFSET @o",
            ("@c", campaignId), ("@st", status), ("@n", limit), ("@o", offset));
    }

    /// <summary>How many inner codes <paramref name="userId"/> has redeemed (in any campaign, any outcome) since <paramref name="since"/>.</summary>
    public long CountForUserSince(string userId, DateTimeOffset since)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM reward_redemptions WHERE user_id = @u AND created_at >= @s").With("@u", userId).With("@s", Sql.Timestamp(since)).ScalarLong();
    }

    /// <summary>Approved redemptions whose payout instruction the receiver has not acknowledged yet, in approval order.</summary>
    public IReadOnlyList<StoredRedemption> PendingPayouts(int limit)
    {
        using var c = database.Connect();
        return Query(c, null, "payout_state = 'pending' ORDER BY payout_seq LIMIT @n", ("@n", limit));
    }

    /// <summary>Records how the payout instruction of <paramref name="id"/> ended: acknowledged (2xx) or refused for good.</summary>
    public void RecordPayout(string id, bool acknowledged, int status, int attempts, string? note, DateTimeOffset at)
    {
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        c.Command("UPDATE reward_redemptions SET payout_state = @ps, payout_status = @st, payout_attempts = payout_attempts + @n, payout_note = @note, acknowledged_at = @at WHERE id = @id AND payout_state = 'pending'")
            .With("@ps", acknowledged ? PayoutState.Acknowledged : PayoutState.Refused).With("@st", status).With("@n", attempts).With("@note", note)
            .With("@at", acknowledged ? Sql.Timestamp(at) : null).With("@id", id).ExecuteNonQuery();
    }

    private static ClaimOutcome? Exceeded(DbConnection c, DbTransaction tx, StoredRedemption candidate, ClaimLimits limits)
    {
        const string Counted = "SELECT COUNT(*) FROM reward_redemptions WHERE campaign_id = @c AND status IN ('approved', 'held')";
        var day = Sql.Timestamp(limits.DayStart);
        if (limits.PerPerson is { } perPerson
            && c.Command(Counted + " AND user_id = @u", tx).With("@c", candidate.CampaignId).With("@u", candidate.UserId).ScalarLong() >= perPerson)
        {
            return ClaimOutcome.PersonLimit;
        }

        if (limits.PerPersonPerDay is { } perPersonPerDay
            && c.Command(Counted + " AND user_id = @u AND created_at >= @day", tx).With("@c", candidate.CampaignId).With("@u", candidate.UserId).With("@day", day).ScalarLong() >= perPersonPerDay)
        {
            return ClaimOutcome.PersonDayLimit;
        }

        if (limits.PerDay is { } perDay && c.Command(Counted + " AND created_at >= @day", tx).With("@c", candidate.CampaignId).With("@day", day).ScalarLong() >= perDay)
        {
            return ClaimOutcome.DayLimit;
        }

        return null;
    }

    private static long NextPayoutSeq(DbConnection c, DbTransaction tx) =>
        c.Command("SELECT COALESCE(MAX(payout_seq), 0) + 1 FROM reward_redemptions", tx).ScalarLong();

    private static StoredRedemption? Find(DbConnection c, DbTransaction? tx, string where, params (string Name, object? Value)[] parameters) =>
        Query(c, tx, where + " LIMIT 1", parameters).FirstOrDefault();

    private static List<StoredRedemption> Query(DbConnection c, DbTransaction? tx, string where, params (string Name, object? Value)[] parameters)
    {
        using var cmd = c.Command(
            "SELECT id, campaign_id, gtin, serial, user_id, device_id, network, user_agent, lat, lon, country, tier, amount, status, score, reasons_json, created_at, " +
            "decided_at, decided_by, payout_state, payout_attempts, payout_status, payout_note, acknowledged_at FROM reward_redemptions WHERE " + where, tx);
        foreach (var (name, value) in parameters)
        {
            cmd.With(name, value);
        }

        using var r = cmd.ExecuteReader();
        var list = new List<StoredRedemption>();
        while (r.Read())
        {
            list.Add(new StoredRedemption(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.NullableString(5), r.NullableString(6), r.NullableString(7),
                r.NullableDouble(8), r.NullableDouble(9), r.NullableString(10), r.IsDBNull(11) ? null : r.GetInt32(11), r.GetInt64(12), r.GetString(13), r.GetInt32(14),
                r.GetString(15), Sql.ParseTimestamp(r.GetString(16)), r.IsDBNull(17) ? null : Sql.ParseTimestamp(r.GetString(17)), r.NullableString(18),
                r.NullableString(19), r.GetInt32(20), r.IsDBNull(21) ? null : r.GetInt32(21), r.NullableString(22), r.IsDBNull(23) ? null : Sql.ParseTimestamp(r.GetString(23))));
        }

        return list;
    }

    /// <summary>Redemptions per campaign, hour (UTC, <c>yyyy-MM-ddTHH</c>) and status since <paramref name="since"/>, for the producer's analytics.</summary>
    public IReadOnlyList<(string CampaignId, string Hour, string Status, long Count)> CountPerHour(DateTimeOffset since)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT campaign_id, substr(created_at, 1, 13), status, COUNT(*) FROM reward_redemptions WHERE created_at >= @s GROUP BY 1, 2, 3")
            .With("@s", Sql.Timestamp(since));
        using var r = cmd.ExecuteReader();
        var rows = new List<(string, string, string, long)>();
        while (r.Read())
        {
            rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        }

        return rows;
    }
}

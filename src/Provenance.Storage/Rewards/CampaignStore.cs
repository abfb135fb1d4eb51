using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Rewards;

/// <summary>Reward campaigns. Thread-safe.</summary>
public sealed class CampaignStore(ProvenanceDatabase database)
{
    /// <summary>Adds a campaign; throws <see cref="RegistryConflictException"/> when the id exists.</summary>
    public void Add(StoredCampaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        using var c = database.Connect();
        try
        {
            c.Command("INSERT INTO reward_campaigns (id, definition_json, budget, reserved, starts_at, ends_at, created_at) VALUES (@id, @d, @b, 0, @s, @e, @at)")
                .With("@id", campaign.Id).With("@d", campaign.DefinitionJson).With("@b", campaign.Budget)
                .With("@s", Sql.Timestamp(campaign.StartsAt)).With("@e", Sql.Timestamp(campaign.EndsAt)).With("@at", Sql.Timestamp(campaign.CreatedAt)).ExecuteNonQuery();
        }
        catch (DbException e) when (StorageErrors.IsConstraintViolation(e))
        {
            throw new RegistryConflictException($"campaign {campaign.Id} already exists");
        }
    }

    public StoredCampaign? Find(string id)
    {
        using var c = database.Connect();
        using var cmd = c.Command(Select + " WHERE id = @id").With("@id", id);
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    /// <summary>Every campaign, oldest first (the order in which a code is matched against them).</summary>
    public IReadOnlyList<StoredCampaign> List(int limit = 1000)
    {
        using var c = database.Connect();
        return ReadAll(c.Command(Select + " ORDER BY created_at, id LIMIT @n").With("@n", limit));
    }

    /// <summary>Campaigns whose window contains <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<StoredCampaign> Running(DateTimeOffset now)
    {
        using var c = database.Connect();
        return ReadAll(c.Command(Select + " WHERE starts_at <= @at AND ends_at > @at ORDER BY created_at, id").With("@at", Sql.Timestamp(now)));
    }

    /// <summary>How many redemptions of each status the campaign has, the amount approved, and the payouts acknowledged.</summary>
    public CampaignTotals Totals(string id)
    {
        using var c = database.Connect();
        var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long approved = 0, acknowledged = 0;
        using (var cmd = c.Command("SELECT status, COUNT(*), CAST(SUM(amount) AS BIGINT), CAST(SUM(CASE WHEN payout_state = 'acknowledged' THEN 1 ELSE 0 END) AS BIGINT) FROM reward_redemptions WHERE campaign_id = @id GROUP BY status").With("@id", id))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                byStatus[r.GetString(0)] = r.GetInt64(1);
                if (r.GetString(0) == RedemptionStatus.Approved)
                {
                    approved = r.GetInt64(2);
                    acknowledged = r.GetInt64(3);
                }
            }
        }

        return new CampaignTotals(byStatus, approved, acknowledged);
    }

    private const string Select = "SELECT id, definition_json, budget, reserved, starts_at, ends_at, created_at FROM reward_campaigns";

    private static List<StoredCampaign> ReadAll(DbCommand command)
    {
        using var cmd = command;
        using var r = cmd.ExecuteReader();
        var list = new List<StoredCampaign>();
        while (r.Read())
        {
            list.Add(Read(r));
        }

        return list;
    }

    private static StoredCampaign Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4)), Sql.ParseTimestamp(r.GetString(5)), Sql.ParseTimestamp(r.GetString(6)));
}

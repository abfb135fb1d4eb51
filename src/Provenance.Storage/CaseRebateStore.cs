using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A retailer's case-opening rebate: the case, the retailer, the amount (decimal text), how many bottles, the alert that emitted it.</summary>
public sealed record StoredCaseRebate(string CaseCode, string RetailerId, string Amount, string Currency, int Bottles, long AlertId, DateTimeOffset At);

/// <summary>
/// Case-opening rebates, one per case ever: the rebate and the feed entry that the webhook dispatcher delivers are
/// written in one transaction, keyed by the case code, so concurrent claims of one case earn it exactly once and a
/// recorded rebate is always emitted. Thread-safe.
/// </summary>
public sealed class CaseRebateStore(ProvenanceDatabase database)
{
    /// <summary>
    /// Records the rebate unless the case already earned one; returns the stored rebate and whether this call earned it.
    /// <paramref name="alertDetailJson"/> is the feed entry's detail (kind <paramref name="alertKind"/>, distributor <paramref name="alertDistributorId"/>).
    /// </summary>
    public (StoredCaseRebate Rebate, bool Earned) Claim(
        string caseCode, string retailerId, string amount, string currency, int bottles, string alertKind, string? alertDistributorId, Func<DateTimeOffset, string> alertDetailJson, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(alertDetailJson);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        if (Find(c, tx, caseCode) is { } existing)
        {
            return (existing, false);
        }

        var alertId = c.Command("INSERT INTO alerts (kind, gtin, serial, distributor_id, detail_json, created_at) VALUES (@k, NULL, NULL, @d, @j, @at) RETURNING id", tx)
            .With("@k", alertKind).With("@d", alertDistributorId).With("@j", alertDetailJson(at)).With("@at", Sql.Timestamp(at)).ScalarLong();
        c.Command("INSERT INTO case_rebates (case_code, retailer_id, amount, currency, bottles, alert_id, at) VALUES (@c, @r, @a, @cur, @b, @alert, @at)", tx)
            .With("@c", caseCode).With("@r", retailerId).With("@a", amount).With("@cur", currency).With("@b", bottles).With("@alert", alertId).With("@at", Sql.Timestamp(at))
            .ExecuteNonQuery();
        tx.Commit();
        return (new StoredCaseRebate(caseCode, retailerId, amount, currency, bottles, alertId, at), true);
    }

    /// <summary>How many rebates a retailer earned.</summary>
    public long CountFor(string retailerId)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM case_rebates WHERE retailer_id = @r").With("@r", retailerId).ScalarLong();
    }

    private static StoredCaseRebate? Find(DbConnection c, DbTransaction tx, string caseCode)
    {
        using var cmd = c.Command("SELECT case_code, retailer_id, amount, currency, bottles, alert_id, at FROM case_rebates WHERE case_code = @c", tx).With("@c", caseCode);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StoredCaseRebate(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt64(5), Sql.ParseTimestamp(r.GetString(6))) : null;
    }
}

namespace Provenance.Storage;

/// <summary>
/// How full the dead-letter store is. <see cref="IsNearQuota"/> is a warning, not a failure: pruning keeps the store
/// within its quota, but the oldest rejected input is being (or is about to be) thrown away.
/// </summary>
public sealed record DeadLetterQuotaStatus(long UsedBytes, long QuotaBytes, long Messages, long Pruned, int NearQuotaPercent)
{
    public bool IsNearQuota => UsedBytes * 100 >= QuotaBytes * NearQuotaPercent;

    /// <summary>One sentence for readiness and logs.</summary>
    public string Describe() =>
        $"dead-letter store holds {UsedBytes / 1024} KiB of {QuotaBytes / 1024} KiB ({Messages} messages, {Pruned} pruned so far)"
        + (IsNearQuota ? $"; at or above {NearQuotaPercent}% of its quota: the oldest dead letters are pruned first (raise DeadLetters:MaxTotalBytes to keep more)" : string.Empty);
}

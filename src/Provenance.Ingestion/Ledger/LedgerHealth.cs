namespace Provenance.Ingestion.Ledger;

/// <summary>How the ledger engine is doing.</summary>
public enum LedgerHealthState
{
    /// <summary>Making progress (or nothing to do).</summary>
    Ok,

    /// <summary>Failing and retrying; expected to heal (a node restarting, a timeout).</summary>
    Degraded,

    /// <summary>Cannot make progress: a permanent failure, or no progress for longer than the stall limit.</summary>
    Failed,
}

/// <summary>A snapshot of the ledger engine's health, for readiness checks and <c>/health</c>. Immutable.</summary>
/// <param name="Engine">The engine, e.g. <c>fabric</c>.</param>
/// <param name="State">Ok, degraded or failed.</param>
/// <param name="Reason">What is wrong and what to do (null when ok).</param>
/// <param name="Code">The failure's reason code (<c>access_denied</c>, <c>chaincode_missing</c>, <c>channel_not_found</c>, <c>gateway_not_registered</c>, <c>stalled</c>, <c>transient</c>), or null.</param>
/// <param name="LastProgressAt">When the engine last recorded something or found nothing to do; null before the first time.</param>
/// <param name="Failures">Failed attempts since the start.</param>
public sealed record LedgerHealth(string Engine, LedgerHealthState State, string? Reason, string? Code, DateTimeOffset? LastProgressAt, long Failures)
{
    /// <summary>The state as the health endpoints write it: <c>ok</c>, <c>degraded</c> or <c>failed</c>.</summary>
    public string StateName => State.ToString().ToLowerInvariant();
}

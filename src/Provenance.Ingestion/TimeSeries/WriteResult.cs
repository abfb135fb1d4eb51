namespace Provenance.Ingestion.TimeSeries;

/// <summary>What one <see cref="InfluxWriter.WriteAsync"/> call achieved. Immutable.</summary>
/// <param name="Outcome">How the call ended.</param>
/// <param name="Written">Points InfluxDB confirmed as stored (2xx).</param>
/// <param name="Rejected">Points InfluxDB refused for good, with reasons.</param>
/// <param name="Message">For <see cref="WriteOutcome.Unauthorized"/> and <see cref="WriteOutcome.GaveUp"/>: what to fix and InfluxDB's last answer.</param>
public sealed record WriteResult(WriteOutcome Outcome, int Written, IReadOnlyList<RejectedLine> Rejected, string? Message)
{
    /// <summary>
    /// True when every point is either stored or dead-lettered, so the caller may advance its cursor;
    /// false for <see cref="WriteOutcome.Unauthorized"/> and <see cref="WriteOutcome.GaveUp"/>, when the
    /// caller must keep the points and retry later.
    /// </summary>
    public bool IsComplete => Outcome is WriteOutcome.Written or WriteOutcome.PartiallyRejected;
}

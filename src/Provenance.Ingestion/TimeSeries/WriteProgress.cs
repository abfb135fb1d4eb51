namespace Provenance.Ingestion.TimeSeries;

/// <summary>Mutable state of one <see cref="InfluxWriter.WriteAsync"/> call. Not thread-safe (one call at a time).</summary>
internal sealed class WriteProgress(IReadOnlyList<Point> points, IReadOnlyList<string> lines, DateTimeOffset deadline)
{
    public IReadOnlyList<Point> Points { get; } = points;

    public IReadOnlyList<string> Lines { get; } = lines;

    public DateTimeOffset Deadline { get; } = deadline;

    public int Written { get; set; }

    public List<RejectedLine> Rejected { get; } = [];

    /// <summary>Set when the call must stop and keep the remaining points.</summary>
    public WriteOutcome? StoppedWith { get; set; }

    public string? Message { get; set; }

    public WriteResult ToResult() => new(
        StoppedWith ?? (Rejected.Count > 0 ? WriteOutcome.PartiallyRejected : WriteOutcome.Written),
        Written,
        Rejected.OrderBy(r => r.Point.UnixNanoseconds).ToArray(),
        Message);
}

using System.Diagnostics;

namespace Provenance.Storage.Ingestion;

/// <summary>
/// One <c>storage.commit</c> span per traced message of a group commit, each a child of that message's verification
/// span, all spanning the one transaction. Started before the transaction so that the journal rows can carry their
/// context (<see cref="TraceParent"/>). Not thread-safe: one commit's.
/// </summary>
internal sealed class CommitSpans : IDisposable
{
    public const string Name = "storage.commit";

    private readonly Activity?[] _spans;

    public CommitSpans(IReadOnlyList<IngestionUnit> units)
    {
        _spans = new Activity?[units.Count];
        if (!StorageTelemetry.ActivitySource.HasListeners())
        {
            return;
        }

        var previous = Activity.Current;
        for (var i = 0; i < units.Count; i++)
        {
            if (units[i].TraceContext == default)
            {
                continue;
            }

            var span = StorageTelemetry.ActivitySource.StartActivity(Name, ActivityKind.Internal, units[i].TraceContext);
            span?.SetTag("db.system.name", "sqlite");
            span?.SetTag("provenance.commit.messages", units.Count);
            _spans[i] = span;
            Activity.Current = previous;
        }
    }

    /// <summary>What the journal keeps for unit <paramref name="index"/>: its commit span, or its verification span when only that was recorded.</summary>
    public string? TraceParent(int index, IngestionUnit unit) =>
        _spans[index]?.Id ?? (unit.TraceContext == default ? null : Format(unit.TraceContext));

    public void Committed(IngestionOutcome outcome)
    {
        foreach (var span in _spans)
        {
            span?.SetTag("provenance.seals.stored", outcome.SealsStored);
        }
    }

    public void Failed(Exception e)
    {
        foreach (var span in _spans)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        }
    }

    public void Dispose()
    {
        var previous = Activity.Current;
        foreach (var span in _spans)
        {
            span?.Stop();
        }

        Activity.Current = previous;
    }

    private static string Format(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
}

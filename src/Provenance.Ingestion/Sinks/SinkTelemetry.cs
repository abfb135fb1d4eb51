using System.Diagnostics;
using Provenance.Storage.Journal;

namespace Provenance.Ingestion.Sinks;

/// <summary>
/// The activity sources of the sinks, one per sink, and their write spans. A sink writes journal entries in batches,
/// long after (and in other groups than) the commits that stored them, so a write span is a root of its own with a
/// link to the commit of every entry it carries that was traced (<see cref="JournalEntry.TraceParent"/>): from a seal's
/// trace, a tracing backend finds each sink's write of it. Thread-safe.
/// </summary>
public static class SinkTelemetry
{
    public const string EmbeddedLedgerName = "Provenance.Sinks.EmbeddedLedger";
    public const string FabricName = "Provenance.Sinks.Fabric";
    public const string InfluxDbName = "Provenance.Sinks.InfluxDB";

    public static readonly ActivitySource EmbeddedLedger = new(EmbeddedLedgerName);
    public static readonly ActivitySource Fabric = new(FabricName);
    public static readonly ActivitySource InfluxDb = new(InfluxDbName);

    /// <summary>The ledger engine's source: <c>fabric</c> or the embedded ledger.</summary>
    public static ActivitySource ForLedger(string engine) => engine == Ledger.FabricLedgerState.Engine ? Fabric : EmbeddedLedger;

    /// <summary>Starts <c>{sink}.write</c> over <paramref name="batch"/> (current until disposed, so the engine's own spans are its children).</summary>
    public static Activity? StartWrite(ActivitySource source, string sink, IReadOnlyList<JournalEntry> batch)
    {
        if (!source.HasListeners() || batch.Count == 0)
        {
            return null;
        }

        var links = new List<ActivityLink>();
        foreach (var entry in batch)
        {
            if (entry.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, isRemote: false, out var context))
            {
                links.Add(new ActivityLink(context, new ActivityTagsCollection { ["provenance.event.id"] = entry.EventId }));
            }
        }

        // A root: whatever is current on the sink's loop is no parent of this batch.
        Activity.Current = null;
        var span = source.StartActivity($"{sink}.write", ActivityKind.Client, default(ActivityContext), links: links);
        span?.SetTag("provenance.sink", sink);
        span?.SetTag("provenance.journal.from", batch[0].Position);
        span?.SetTag("provenance.journal.to", batch[^1].Position);
        span?.SetTag("provenance.entries", batch.Count);
        return span;
    }

    public static void Failed(Activity? span, string reason) => span?.SetStatus(ActivityStatusCode.Error, reason);
}

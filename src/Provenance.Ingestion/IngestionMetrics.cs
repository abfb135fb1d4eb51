using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Provenance.Ingestion;

/// <summary>The ingestion's <see cref="Meter"/> and <see cref="ActivitySource"/>, named <c>Provenance.Ingestion</c>. Thread-safe.</summary>
public sealed class IngestionMetrics : IDisposable
{
    public const string Name = "Provenance.Ingestion";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _seals;
    private readonly Counter<long> _fixes;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejects;
    private readonly Histogram<double> _commitSeconds;
    private long _messagesTotal;
    private long _sealsTotal;
    private long _fixesTotal;
    private long _duplicatesTotal;
    private long _rejectsTotal;

    public IngestionMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _messages = _meter.CreateCounter<long>("provenance.ingestion.messages", description: "MQTT messages committed and acknowledged");
        _seals = _meter.CreateCounter<long>("provenance.ingestion.seals", description: "Seal events stored");
        _fixes = _meter.CreateCounter<long>("provenance.ingestion.fixes", description: "GNSS fix epochs stored");
        _duplicates = _meter.CreateCounter<long>("provenance.ingestion.duplicates", description: "Redelivered events absorbed");
        _rejects = _meter.CreateCounter<long>("provenance.ingestion.rejects", description: "Dead letters, by reason");
        _commitSeconds = _meter.CreateHistogram<double>("provenance.ingestion.commit.duration", "s", "Durable group-commit time");
    }

    public long MessagesTotal => Interlocked.Read(ref _messagesTotal);

    public long SealsTotal => Interlocked.Read(ref _sealsTotal);

    public long FixesTotal => Interlocked.Read(ref _fixesTotal);

    public long DuplicatesTotal => Interlocked.Read(ref _duplicatesTotal);

    public long RejectsTotal => Interlocked.Read(ref _rejectsTotal);

    public Meter Meter => _meter;

    /// <summary>
    /// Continues the totals of an earlier run (from a checkpoint), so that counters do not start again at 0 when the
    /// process restarts. Call once, before ingestion starts.
    /// </summary>
    public void Seed(long messages, long seals, long fixes, long duplicates)
    {
        _messages.Add(messages);
        Interlocked.Add(ref _messagesTotal, messages);
        _seals.Add(seals);
        Interlocked.Add(ref _sealsTotal, seals);
        _fixes.Add(fixes);
        Interlocked.Add(ref _fixesTotal, fixes);
        _duplicates.Add(duplicates);
        Interlocked.Add(ref _duplicatesTotal, duplicates);
    }

    internal void Committed(int messages, Storage.Ingestion.IngestionOutcome outcome, double seconds)
    {
        _messages.Add(messages);
        Interlocked.Add(ref _messagesTotal, messages);
        _seals.Add(outcome.SealsStored);
        Interlocked.Add(ref _sealsTotal, outcome.SealsStored);
        _fixes.Add(outcome.FixesStored);
        Interlocked.Add(ref _fixesTotal, outcome.FixesStored);
        _duplicates.Add(outcome.Duplicates);
        Interlocked.Add(ref _duplicatesTotal, outcome.Duplicates);
        foreach (var (reason, count) in outcome.DeadLettersByReason)
        {
            _rejects.Add(count, new KeyValuePair<string, object?>("reason", reason));
            Interlocked.Add(ref _rejectsTotal, count);
        }

        _commitSeconds.Record(seconds);
    }

    public void Dispose() => _meter.Dispose();
}

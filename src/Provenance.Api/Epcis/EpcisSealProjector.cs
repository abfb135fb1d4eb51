using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Core.Epcis;
using Provenance.Core.Records;
using Provenance.Core.Resilience;
using Provenance.Storage.Epcis;
using Provenance.Storage.Journal;

namespace Provenance.Api.Epcis;

/// <summary>
/// Turns every committed seal into its EPCIS sealing event, and every line pack event into its packing event, reading the journal from its own cursor like the other
/// sinks (off the ingestion path, in batches, idempotent by event id), so the repository holds the line's events a
/// moment after they are acknowledged. A failure is retried with back-off (the Polly pipeline <c>epcis-projection</c>, on the host's <see cref="TimeProvider"/>); the journal keeps everything meanwhile.
/// </summary>
public sealed partial class EpcisSealProjector(JournalStore journal, EpcisEventStore repository, LifecycleEvents epcis, TimeProvider time, ILogger<EpcisSealProjector> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    public const int BatchSize = 1000;
    private readonly SemaphoreSlim _wake = new(0);
    private long _projected;

    /// <summary>Sealing events written since start.</summary>
    public long Projected => Interlocked.Read(ref _projected);

    /// <summary>How many journal seals are not yet in the repository.</summary>
    public long Lag => journal.Lag(EpcisEventStore.SinkName);

    /// <summary>Signals that seals were committed (the host wires this to ingestion).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Projects what the journal holds now; returns how many events were added.</summary>
    public int ProjectPending()
    {
        var added = 0;
        while (true)
        {
            var cursor = journal.Cursor(EpcisEventStore.SinkName);
            var batch = journal.ReadAfter(cursor, BatchSize);
            if (batch.Count == 0)
            {
                return added;
            }

            var rows = new List<EpcisEventRow>(batch.Count);
            foreach (var entry in batch)
            {
                if (entry.Kind == JournalEntry.SealKind && JsonSerializer.Deserialize(entry.Body, RecordJsonContext.Default.ProvenanceRecord) is { } record)
                {
                    rows.Add(EpcisEventRow.FromSealedEvent(epcis.Sealing(record), epcis.Names.Prefixes, EpcisSources.Ingestion));
                }
                else if (entry.Kind == JournalEntry.PackKind && JsonSerializer.Deserialize(entry.Body, RecordJsonContext.Default.PackRecord) is { } pack)
                {
                    rows.Add(EpcisEventRow.FromSealedEvent(Packing(pack), epcis.Names.Prefixes, EpcisSources.Ingestion));
                }
            }

            added += repository.AddFromJournal(rows, batch[^1].Position);
            Interlocked.Add(ref _projected, rows.Count);
        }
    }

    /// <summary>A line's pack event as the same AggregationEvent the producer API writes, at the line that packed it.</summary>
    private System.Text.Json.Nodes.JsonObject Packing(PackRecord pack) =>
        epcis.Packing(
            pack.PackedAt, Distribution.ShipmentsApi.CaseEpc(pack.Container),
            [.. pack.Containers.Select(Distribution.ShipmentsApi.CaseEpc), .. pack.Bottles.Select(b => Epc.ForBottle(b.Gtin, b.Serial))],
            pack.SiteId, pack.Line);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = SupervisorRetry.Build(
            "epcis-projection", time, static (attempt, _) => SupervisorRetry.Doubling(attempt, FirstDelay, MaxDelay),
            (failure, _, delay) => LogProjectionFailed(failure, delay.TotalSeconds));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(
                    static async (state, token) =>
                    {
                        state.ProjectPending();
                        await state._wake.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                        return true;
                    },
                    this, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the cursor marks where the next start resumes.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "EPCIS projection of seals failed; retrying in {DelaySeconds} s")]
    private partial void LogProjectionFailed(Exception? exception, double delaySeconds);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Core.Resilience;
using Provenance.Storage.Journal;
using Provenance.Ingestion.Ledger;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Sinks;

/// <summary>
/// Reads the journal from the engine's own cursor (or after what the engine has already taken) in batches and appends
/// the seal records to the ledger engine, with exponential back-off on failure (the Polly pipeline <c>ledger-{engine}</c>, see <see cref="SupervisorRetry"/>); progress and failures go to
/// <see cref="LedgerStatus"/>. A ledger that is down makes the journal grow; nothing is skipped or reordered.
/// </summary>
public sealed partial class LedgerSink(JournalStore journal, ILedgerEngine engine, IngestionPipeline pipeline, LedgerStatus status, ILogger<LedgerSink> logger, TimeProvider time) : BackgroundService
{
    public const int BatchSize = 500;
    public static readonly TimeSpan MaxBatchAge = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _signal = new(0);
    private long _retries;

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>How the last appends went (for readiness).</summary>
    public SinkStatus Status { get; } = new(time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A run of this sink is a term as its leader (LeaderElectedService): the statuses describe this term only.
        ResetStatus();
        pipeline.Committed += OnCommitted;
        var retry = SupervisorRetry.Build($"ledger-{engine.Name}", time, Delay, OnRetry);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(TakeBatchAsync, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the cursor marks where the next start resumes.
        }
        finally
        {
            pipeline.Committed -= OnCommitted;
            ResetStatus();
        }
    }

    private void ResetStatus()
    {
        status.Reset();
        Status.Reset();
    }

    /// <summary>Appends the next batch, or waits for one; true when the ledger is up to date with what was read.</summary>
    private async ValueTask<bool> TakeBatchAsync(CancellationToken stoppingToken)
    {
        var cursor = Math.Max(journal.Cursor(engine.CursorName), engine.TakenThrough ?? 0);
        var size = engine.PreferredBatchSize;
        var batch = journal.ReadAfter(cursor, size);
        if (batch.Count == 0)
        {
            status.Progressed();
            Status.Succeeded();
            await _signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            return true;
        }

        // Batch by age as well as size: a fuller batch costs one fsync and one lock turn instead of many,
        // which leaves the write lock to ingestion's commits most of the time.
        var age = time.GetUtcNow() - batch[0].CreatedAt;
        if (batch.Count < size && age < MaxBatchAge)
        {
            await Task.Delay(MaxBatchAge - age, time, stoppingToken).ConfigureAwait(false);
            batch = journal.ReadAfter(cursor, size);
        }

        await AppendAsync(batch, stoppingToken).ConfigureAwait(false);
        status.Progressed();
        Status.Succeeded();
        return true;
    }

    /// <summary>Doubling from 100 ms; an unavailable ledger (retrying soon will not help) at the slowest pace, so it catches up once fixed.</summary>
    private static TimeSpan Delay(int attempt, Exception? failure) =>
        failure is LedgerUnavailableException ? MaxDelay : SupervisorRetry.Doubling(attempt, FirstDelay, MaxDelay);

    private void OnRetry(Exception? failure, int attempt, TimeSpan delay)
    {
        var e = failure!;
        Interlocked.Increment(ref _retries);
        status.Failed(e);
        Status.Failed($"{engine.Name} ledger append failed: {e.Message}");
        if (e is LedgerUnavailableException)
        {
            LogUnavailable(engine.Name, e.Message);
        }
        else
        {
            LogAppendFailed(e, engine.Name, delay.TotalSeconds);
        }
    }

    private async Task AppendAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        using var span = SinkTelemetry.StartWrite(SinkTelemetry.ForLedger(engine.Name), $"ledger.{engine.Name}", batch);
        try
        {
            await engine.AppendAsync(batch, batch[^1].Position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SinkTelemetry.Failed(span, e.Message);
            throw;
        }
    }

    private void OnCommitted(Storage.Ingestion.IngestionOutcome outcome)
    {
        if (outcome.SealsStored > 0 || outcome.FixesStored > 0)
        {
            _signal.Release();
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ledger engine {Engine} failed to append; retrying in {DelaySeconds} s")]
    private partial void LogAppendFailed(Exception exception, string engine, double delaySeconds);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Ledger engine {Engine} cannot record seals until this is fixed: {Reason}")]
    private partial void LogUnavailable(string engine, string reason);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Storage.Journal;
using Provenance.Ingestion.Ledger;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Sinks;

/// <summary>
/// Reads the journal from the engine's own cursor (or after what the engine has already taken) in batches and appends
/// the seal records to the ledger engine, with exponential back-off on failure; progress and failures go to
/// <see cref="LedgerStatus"/>. A ledger that is down makes the journal grow; nothing is skipped or reordered.
/// </summary>
public sealed partial class LedgerSink(JournalStore journal, ILedgerEngine engine, IngestionPipeline pipeline, LedgerStatus status, ILogger<LedgerSink> logger) : BackgroundService
{
    public const int BatchSize = 500;
    public static readonly TimeSpan MaxBatchAge = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _signal = new(0);
    private long _retries;

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>How the last appends went (for readiness).</summary>
    public SinkStatus Status { get; } = new(TimeProvider.System);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pipeline.Committed += OnCommitted;
        var delay = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var cursor = Math.Max(journal.Cursor(engine.CursorName), engine.TakenThrough ?? 0);
                    var size = engine.PreferredBatchSize;
                    var batch = journal.ReadAfter(cursor, size);
                    if (batch.Count == 0)
                    {
                        status.Progressed();
                        Status.Succeeded();
                        await _signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    // Batch by age as well as size: a fuller batch costs one fsync and one lock turn instead of many,
                    // which leaves the write lock to ingestion's commits most of the time.
                    var age = DateTimeOffset.UtcNow - batch[0].CreatedAt;
                    if (batch.Count < size && age < MaxBatchAge)
                    {
                        await Task.Delay(MaxBatchAge - age, stoppingToken).ConfigureAwait(false);
                        batch = journal.ReadAfter(cursor, size);
                    }

                    await AppendAsync(batch, stoppingToken).ConfigureAwait(false);
                    status.Progressed();
                    Status.Succeeded();
                    delay = TimeSpan.FromMilliseconds(100);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _retries);
                    status.Failed(e);
                    Status.Failed($"{engine.Name} ledger append failed: {e.Message}");
                    if (e is LedgerUnavailableException)
                    {
                        // Retrying soon will not help; keep trying at the slowest pace so the ledger catches up once fixed.
                        LogUnavailable(engine.Name, e.Message);
                        delay = MaxDelay;
                    }
                    else
                    {
                        LogAppendFailed(e, engine.Name, delay.TotalSeconds);
                    }

                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the cursor marks where the next start resumes.
        }
        finally
        {
            pipeline.Committed -= OnCommitted;
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

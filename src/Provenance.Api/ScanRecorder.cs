using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Records scans off the request path: a request enqueues its scan (never waits, never fails) and a background loop
/// writes what has queued up as one transaction (at most <see cref="MaxBatch"/> scans), so under load one commit
/// carries many scans. The queue is bounded (<see cref="DefaultCapacity"/>): when the database falls that far behind,
/// the oldest queued scans are dropped and counted (<c>provenance.scans.dropped</c>, <see cref="Dropped"/>) rather
/// than slowing scans down or growing memory. Stopping the host writes what is queued; a crash loses the scans
/// still queued (answered, not yet committed: normally the last fraction of a second). Thread-safe.
/// </summary>
public sealed partial class ScanRecorder : BackgroundService
{
    public const int DefaultCapacity = 100_000;
    public const int MaxBatch = 1000;

    private readonly Channel<ScanRecord> _queue;
    private readonly ScanStore _store;
    private readonly BottleReadModel _readModel;
    private readonly ApiMetrics _metrics;
    private readonly ILogger<ScanRecorder> _logger;
    private long _written;
    private long _dropped;

    public ScanRecorder(ScanStore store, BottleReadModel readModel, ApiMetrics metrics, ILogger<ScanRecorder> logger)
        : this(store, readModel, metrics, logger, DefaultCapacity)
    {
    }

    public ScanRecorder(ScanStore store, BottleReadModel readModel, ApiMetrics metrics, ILogger<ScanRecorder> logger, int capacity)
    {
        _store = store;
        _readModel = readModel;
        _metrics = metrics;
        _logger = logger;
        // Dropping the oldest keeps the newest scans, which are what clone detection compares a new scan with.
        _queue = Channel.CreateBounded<ScanRecord>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest }, OnDropped);
    }

    /// <summary>Raised after each batch is committed (on the recorder's thread).</summary>
    public event EventHandler? BatchWritten;

    public long Written => Interlocked.Read(ref _written);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues the scan for the history, and appends it at once to the bottle's history in the read model.</summary>
    public void Record(ScanRecord scan)
    {
        _readModel.Recorded(scan);
        _queue.Writer.TryWrite(scan);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ScanRecord>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                WriteQueued(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is still queued.
        }
    }

    /// <summary>Stops the loop, then writes what is still queued before the host goes (the loop has ended: one reader still).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var batch = new List<ScanRecord>(MaxBatch);
        while (_queue.Reader.TryPeek(out _))
        {
            WriteQueued(batch);
        }
    }

    private void WriteQueued(List<ScanRecord> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var scan))
        {
            batch.Add(scan);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _store.Add(batch);
            Interlocked.Add(ref _written, batch.Count);
            BatchWritten?.Invoke(this, EventArgs.Empty);
        }
        catch (System.Data.Common.DbException e)
        {
            LogWriteFailed(e, batch.Count);
        }
    }

    private void OnDropped(ScanRecord scan)
    {
        Interlocked.Increment(ref _dropped);
        _metrics.ScanDropped();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Could not record {Count} scan(s)")]
    private partial void LogWriteFailed(Exception exception, int count);
}

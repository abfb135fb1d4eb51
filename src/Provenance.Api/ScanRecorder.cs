using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Records scans off the request path: requests enqueue, a background loop writes batches. When the queue is full
/// (the database is far behind), the oldest pending scans are dropped and counted rather than slowing scans down.
/// Thread-safe.
/// </summary>
public sealed partial class ScanRecorder(ScanStore store, ILogger<ScanRecorder> logger) : BackgroundService
{
    private readonly Channel<ScanRecord> _queue = Channel.CreateBounded<ScanRecord>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public void Record(ScanRecord scan) => _queue.Writer.TryWrite(scan);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ScanRecord>(1000);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 1000 && _queue.Reader.TryRead(out var scan))
                {
                    batch.Add(scan);
                }

                try
                {
                    store.Add(batch);
                    Interlocked.Add(ref _written, batch.Count);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    LogWriteFailed(e, batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Could not record {Count} scan(s)")]
    private partial void LogWriteFailed(Exception exception, int count);
}

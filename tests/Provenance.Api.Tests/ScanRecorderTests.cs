using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provenance.Storage;

namespace Provenance.Api.Tests;

/// <summary>The scan recorder on a real SQLite database: scans land in the history in batches, and a full queue never holds up a scan.</summary>
public sealed class ScanRecorderTests : IDisposable
{
    private const string Gtin = "09506000134352";

    private readonly string _dir = Directory.CreateTempSubdirectory("prov-recorder-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ScanStore _store;
    private readonly ApiMetrics _metrics;
    private readonly BottleReadModel _readModel;

    public ScanRecorderTests()
    {
        var database = TestStorage.Open(_dir);
        _store = new ScanStore(database);
        _metrics = new ApiMetrics(_services.GetRequiredService<IMeterFactory>());
        _readModel = new BottleReadModel(database, Options.Create(new ScanReadModelOptions()), _metrics, TimeProvider.System);
    }

    [Fact]
    public async Task Recorded_scans_are_in_the_history_once_their_batch_is_written()
    {
        using var recorder = new ScanRecorder(_store, _readModel, _metrics, NullLogger<ScanRecorder>.Instance);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.BatchWritten += (_, _) =>
        {
            if (recorder.Written >= 3)
            {
                written.TrySetResult();
            }
        };
        await recorder.StartAsync(CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            recorder.Record(Scan("S1", i));
        }

        await written.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, _store.History(Gtin, "S1").Count);
        await recorder.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_scans_and_counts_them_without_holding_up_the_scan()
    {
        using var droppedMetric = new MetricCollector<long>(_metrics.Meter, "provenance.scans.dropped");
        // Not started: nothing drains the queue, as when the database is far behind.
        using var recorder = new ScanRecorder(_store, _readModel, _metrics, NullLogger<ScanRecorder>.Instance, capacity: 10);

        for (var i = 0; i < 25; i++)
        {
            recorder.Record(Scan("S2", i));
        }

        Assert.Equal(15, recorder.Dropped);
        Assert.Equal(15, droppedMetric.GetMeasurementSnapshot().EvaluateAsCounter());

        // Stopping writes what is still queued: the newest ten.
        await recorder.StartAsync(CancellationToken.None);
        await recorder.StopAsync(CancellationToken.None);
        var history = _store.History(Gtin, "S2");
        Assert.Equal(10, history.Count);
        Assert.Equal(Scan("S2", 15).ScannedAt, history[0].ScannedAt);
    }

    public void Dispose()
    {
        _readModel.Dispose();
        _metrics.Dispose();
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static ScanRecord Scan(string serial, int i) =>
        new(Gtin, serial, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i), "authentic", null, null, "none", "x");
}

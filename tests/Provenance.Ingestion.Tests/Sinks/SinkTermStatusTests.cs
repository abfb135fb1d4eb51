using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Core.Codes;
using Provenance.Core.Origin;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Sinks;
using Provenance.Ingestion.Tests.Support;
using Provenance.Ingestion.Tests.TimeSeries;
using Provenance.Ingestion.TimeSeries;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Tests.Sinks;

/// <summary>
/// A sink runs in a process for as long as that process leads it (on PostgreSQL, a term that ends when another process
/// takes over and may start again later): its readiness statuses describe the current term only. A failure from the
/// last term is gone when a new one starts, before its first batch, and the term's own failure is gone when it ends.
/// </summary>
public sealed class SinkTermStatusTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prov-sink-term-").FullName;

    [Fact]
    public async Task The_ledger_sink_starts_a_term_without_the_last_terms_failure_and_ends_it_without_its_own()
    {
        var database = TestStorage.Open(_directory);
        var writer = new IngestionWriter(database);
        JournalSeals.Commit(writer, JournalSeals.Seal("term-1", DateTimeOffset.UtcNow));
        var engine = new GatedEngine();
        using var meter = new Meter("test.sink-term");
        var ledgerStatus = new LedgerStatus(engine.Name, meter, TimeSpan.FromMinutes(2), TimeProvider.System);
        var codes = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = CodeKeyRing.NewKey() }, 1));
        var processor = new GatewayMessageProcessor(new RegistryStore(database), new TagStore(database), codes, new AttestationPolicy(), new IngestionOptions(), writer);
        var pipeline = new IngestionPipeline(processor, writer, new IngestionMetrics(), new IngestionOptions(), NullLogger<IngestionPipeline>.Instance);
        using var sink = new LedgerSink(new JournalStore(database), engine, pipeline, ledgerStatus, NullLogger<LedgerSink>.Instance, TimeProvider.System);
        ledgerStatus.Failed(new LedgerUnavailableException("access_denied", "from the last term"));
        sink.Status.Failed("from the last term");

        await sink.StartAsync(CancellationToken.None);
        await engine.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(sink.Status.FailingSince);
        Assert.Equal(LedgerHealthState.Ok, ledgerStatus.Snapshot().State);

        engine.Fail.SetResult();
        await WaitUntilAsync(() => sink.Status.FailingSince is not null && ledgerStatus.Snapshot().State == LedgerHealthState.Degraded, "the ledger sink to fail in this term");
        Assert.Contains("the ledger refused the batch", sink.Status.LastError, StringComparison.Ordinal);
        await sink.StopAsync(CancellationToken.None);

        Assert.Null(sink.Status.FailingSince);
        Assert.Null(sink.Status.LastError);
        var ended = ledgerStatus.Snapshot();
        Assert.Equal(LedgerHealthState.Ok, ended.State);
        Assert.Null(ended.Reason);
        Assert.True(ended.Failures >= 2, $"the failure count since the start stays: {ended.Failures}");
    }

    [Fact]
    public async Task The_time_series_sink_starts_a_term_without_the_last_terms_failure_and_ends_it_without_its_own()
    {
        await using var influx = await FakeInflux2Server.StartAsync();
        using var answer = new SemaphoreSlim(0);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        influx.Respond = (_, _) =>
        {
            asked.TrySetResult();
            answer.Wait(TimeSpan.FromSeconds(30));
            return new FakeAnswer(401, """{"code":"unauthorized","message":"unauthorized access"}""");
        };
        var database = TestStorage.Open(_directory);
        var writer = new IngestionWriter(database);
        var options = new InfluxOptions
        {
            Url = influx.Url, ApiVersion = InfluxApiVersion.V2, Org = FakeInflux2Server.Org, Bucket = FakeInflux2Server.Bucket, Token = FakeInflux2Server.Token,
            FlushInterval = TimeSpan.FromMilliseconds(50), InitialBackoff = TimeSpan.FromMilliseconds(20),
        };
        using var sink = new TimeSeriesSink(new JournalStore(database), writer, options, new IngestionMetrics(), NullLogger<TimeSeriesSink>.Instance, TimeProvider.System);
        sink.Status.Failed("from the last term");

        await sink.StartAsync(CancellationToken.None);
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(sink.Status.FailingSince);

        answer.Release(int.MaxValue / 2);
        await WaitUntilAsync(() => sink.Status.FailingSince is not null, "the time-series sink to fail in this term");
        Assert.Contains("unauthorized", sink.Status.LastError, StringComparison.OrdinalIgnoreCase);
        await sink.StopAsync(CancellationToken.None);

        Assert.Null(sink.Status.FailingSince);
        Assert.Null(sink.Status.LastError);
        Assert.Empty(influx.Violations);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
        }
    }

    /// <summary>A ledger engine whose appends wait for <see cref="Fail"/>, then fail.</summary>
    private sealed class GatedEngine : ILedgerEngine
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Fail { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "gated";

        public async Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default)
        {
            Called.TrySetResult();
            await Fail.Task.WaitAsync(cancellationToken);
            throw new InvalidOperationException("the ledger refused the batch");
        }
    }
}

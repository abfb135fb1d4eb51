using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Ingestion.Sinks;
using Provenance.Ingestion.Tests.Support;
using Provenance.Ingestion.TimeSeries;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;

namespace Provenance.Ingestion.Tests.TimeSeries;

/// <summary>
/// A journal entry that cannot be an InfluxDB point (a seal time outside InfluxDB's years 1677–2262) is dead-lettered
/// as <c>influx_unrepresentable</c>, and the time-series sink goes on: the entries after it reach a real influxd.
/// </summary>
public sealed class TimeSeriesSinkUnrepresentableTests(InfluxdFixture influxd) : IClassFixture<InfluxdFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prov-sink-").FullName;

    [Fact]
    public async Task An_entry_influx_cannot_hold_is_dead_lettered_and_the_sink_moves_past_it()
    {
        var database = TestStorage.Open(_directory);
        var writer = new IngestionWriter(database);
        JournalSeals.Commit(
            writer,
            JournalSeals.Seal("before", new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero)),
            JournalSeals.Seal("ancient", new DateTimeOffset(1500, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            JournalSeals.Seal("after", new DateTimeOffset(2026, 5, 1, 8, 0, 1, TimeSpan.Zero)));
        var journal = new JournalStore(database);
        var options = new InfluxOptions { Url = influxd.Url, Database = influxd.Database, FlushInterval = TimeSpan.FromMilliseconds(50), BatchSize = 100 };
        using var sink = new TimeSeriesSink(journal, writer, options, new IngestionMetrics(), NullLogger<TimeSeriesSink>.Instance, TimeProvider.System);

        await sink.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (journal.Lag(TimeSeriesSink.SinkName) > 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        await sink.StopAsync(CancellationToken.None);

        var rows = await influxd.RowsAsync("seal");
        Assert.Equal(["after", "before"], rows.Select(r => r["event_id"].GetString()).Where(id => id is "before" or "after" or "ancient").Order(StringComparer.Ordinal));
        var letter = Assert.Single(new DeadLetterStore(database).List("influx_unrepresentable"));
        Assert.Equal("ancient", letter.EventId);
        Assert.Contains("1677", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("\"eventId\":\"ancient\"", System.Text.Encoding.UTF8.GetString(letter.Payload), StringComparison.Ordinal);
        Assert.Equal(0, sink.Retries);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Core.Records;
using Provenance.Core.Resilience;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.TimeSeries;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;

namespace Provenance.Ingestion.Sinks;

/// <summary>
/// Writes the journal to InfluxDB from its own cursor: fixes, seals and scans become points stamped with the event's
/// own time (so a replay overwrites itself), in batches by size and age. The cursor moves only after InfluxDB took
/// the batch (lines InfluxDB rejects go to the dead-letter store with its message); on 401/403 or an outage the
/// journal simply grows and the sink retries with back-off. Every 10 s it also writes an <c>ingestion</c> health point.
/// </summary>
public sealed partial class TimeSeriesSink : BackgroundService
{
    public const string SinkName = "timeseries";

    /// <summary>The sink's back-off between batches InfluxDB did not take, on Polly's meter.</summary>
    public const string PipelineName = "influx-sink";

    private readonly JournalStore _journal;
    private readonly InfluxWriter _writer;
    private readonly InfluxOptions _options;
    private readonly IngestionMetrics _metrics;
    private readonly ILogger<TimeSeriesSink> _logger;
    private readonly TimeProvider _time;
    private readonly IngestionWriter _deadLetters;
    private long _retries;
    private long _written;
    private DateTimeOffset _nextHealth;
    private WriteResult? _notTaken;

    public TimeSeriesSink(JournalStore journal, IngestionWriter deadLetters, InfluxOptions options, IngestionMetrics metrics, ILogger<TimeSeriesSink> logger, TimeProvider time)
    {
        _journal = journal;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        Status = new SinkStatus(time);
        _deadLetters = deadLetters;
        _writer = new InfluxWriter(options, (line, _) =>
        {
            deadLetters.AddDeadLetters([new DeadLetter(null, ReasonCodes.InfluxRejected, $"InfluxDB {line.StatusCode}: {line.Reason}", null, Encoding.UTF8.GetBytes(line.Line))]);
            return ValueTask.CompletedTask;
        }, null, time);
    }

    public long Retries => Interlocked.Read(ref _retries);

    public long PointsWritten => Interlocked.Read(ref _written);

    /// <summary>How the last writes to InfluxDB went (for readiness).</summary>
    public SinkStatus Status { get; }

    /// <summary>The InfluxDB server this sink writes to.</summary>
    public Uri? Url => _options.Url;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = SupervisorRetry.Build(
            PipelineName, _time, (attempt, _) => SupervisorRetry.Doubling(attempt, _options.InitialBackoff, _options.MaxBackoff), OnRetry);
        _nextHealth = _time.GetUtcNow();
        // A run of this sink is a term as its leader (LeaderElectedService): the status describes this term only.
        Status.Reset();
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
            Status.Reset();
        }
    }

    /// <summary>Writes the next batch, or waits for one; false when InfluxDB did not take it (the retry backs off).</summary>
    private async ValueTask<bool> TakeBatchAsync(CancellationToken stoppingToken)
    {
        if (_time.GetUtcNow() >= _nextHealth)
        {
            await WriteHealthAsync(stoppingToken).ConfigureAwait(false);
            _nextHealth = _time.GetUtcNow().AddSeconds(10);
        }

        var cursor = _journal.Cursor(SinkName);
        var batch = _journal.ReadAfter(cursor, _options.BatchSize);
        var age = batch.Count == 0 ? TimeSpan.Zero : _time.GetUtcNow() - batch[0].CreatedAt;
        if (batch.Count == 0 || (batch.Count < _options.BatchSize && age < _options.FlushInterval))
        {
            // Batch by age: wait for more until the oldest entry has waited FlushInterval.
            var wait = batch.Count == 0 ? _options.FlushInterval : _options.FlushInterval - age;
            await Task.Delay(wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait, _time, stoppingToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return true;
            }

            batch = _journal.ReadAfter(cursor, _options.BatchSize);
        }

        var (points, unrepresentable) = ToPoints(batch);
        using var span = SinkTelemetry.StartWrite(SinkTelemetry.InfluxDb, "influxdb", batch);
        var result = points.Count == 0 ? new WriteResult(WriteOutcome.Written, 0, [], null) : await _writer.WriteAsync(points, stoppingToken).ConfigureAwait(false);
        if (!result.IsComplete)
        {
            _notTaken = result;
            SinkTelemetry.Failed(span, $"{result.Outcome}: {result.Message}");
            return false;
        }

        Status.Succeeded();
        if (unrepresentable.Count > 0)
        {
            _deadLetters.AddDeadLetters(unrepresentable);
            LogUnrepresentable(unrepresentable.Count);
        }

        _journal.SetCursor(SinkName, batch[^1].Position);
        Interlocked.Add(ref _written, result.Written);
        return true;
    }

    /// <summary>Before each back-off: the failure goes to readiness and the log; <paramref name="failure"/> is null when InfluxDB answered but did not take the batch.</summary>
    private void OnRetry(Exception? failure, int attempt, TimeSpan delay)
    {
        Interlocked.Increment(ref _retries);
        if (failure is null)
        {
            var result = _notTaken!;
            Status.Failed($"InfluxDB did not take the batch ({result.Outcome}: {result.Message})");
            LogNotWritten(result.Outcome.ToString(), result.Message ?? string.Empty, delay.TotalSeconds);
        }
        else
        {
            Status.Failed($"InfluxDB write failed: {failure.Message}");
            LogFailed(failure, delay.TotalSeconds);
        }
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The batch's points, and a dead letter for each entry that cannot be one (e.g. a time outside InfluxDB's years
    /// 1677–2262): such an entry would fail the same way on every retry, so it must not hold back the sink.
    /// </summary>
    private static (List<Point> Points, List<DeadLetter> Unrepresentable) ToPoints(IReadOnlyList<JournalEntry> batch)
    {
        var points = new List<Point>(batch.Count);
        var unrepresentable = new List<DeadLetter>();
        foreach (var entry in batch)
        {
            try
            {
                if (ToPoint(entry) is { } point)
                {
                    points.Add(point);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                unrepresentable.Add(new DeadLetter(
                    null, ReasonCodes.InfluxUnrepresentable, $"journal entry {entry.Position} ({entry.Kind} {entry.EventId}) cannot be written as an InfluxDB point: {e.Message}",
                    entry.EventId, Encoding.UTF8.GetBytes(entry.Body)));
            }
        }

        return (points, unrepresentable);
    }

    internal static Point? ToPoint(JournalEntry entry)
    {
        switch (entry.Kind)
        {
            case JournalEntry.SealKind:
                var record = JsonSerializer.Deserialize(entry.Body, RecordJsonContext.Default.ProvenanceRecord)!;
                // Seals of one message may share an instant; a sub-millisecond offset from the gateway's sequence number
                // keeps each its own point and stays deterministic, so a replay still overwrites itself.
                return TimeSeriesSchema.Seal(record.SiteId, record.GatewayId, record.Line, record.SealedAt.AddTicks(record.Sequence % 10_000), record.Attestation.Attested, record.SealType, record.EventId);
            case JournalEntry.FixKind:
                var body = JsonSerializer.Deserialize(entry.Body, IngestionJsonContext.Default.FixJournalBody)!;
                var f = body.Fix;
                return TimeSeriesSchema.GnssFix(body.GatewayId, body.SiteId, f.Time, f.Latitude, f.Longitude, f.AltitudeMeters, f.Hdop, f.SatellitesUsed, f.BeiDouSatellitesUsed, f.Quality, f.Mode, body.InsideGeofence, body.DistanceMeters);
            case JournalEntry.ScanKind:
                var scan = JsonSerializer.Deserialize(entry.Body, IngestionJsonContext.Default.ScanJournalBody)!;
                return TimeSeriesSchema.Scan(scan.Verdict, scan.ScannedAt, scan.Gtin);
            default:
                return null;
        }
    }

    private async Task WriteHealthAsync(CancellationToken cancellationToken)
    {
        var lag = _journal.Lag(SinkName);
        var oldest = _journal.ReadAfter(_journal.Cursor(SinkName), 1);
        var lagTime = oldest.Count == 0 ? TimeSpan.Zero : _time.GetUtcNow() - oldest[0].CreatedAt;
        var point = TimeSeriesSchema.IngestionHealth(_time.GetUtcNow(), lag, lagTime, Retries, _metrics.RejectsTotal);
        var result = await _writer.WriteAsync([point], cancellationToken).ConfigureAwait(false);
        if (result.IsComplete)
        {
            Status.Succeeded();
        }
        else
        {
            Status.Failed($"InfluxDB did not take the health point ({result.Outcome}: {result.Message})");
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "InfluxDB did not take the batch ({Outcome}: {Message}); the journal keeps it, retrying in {DelaySeconds} s")]
    private partial void LogNotWritten(string outcome, string message, double delaySeconds);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "{Count} journal entries cannot be InfluxDB points (see dead letters 'influx_unrepresentable'); the sink goes on without them")]
    private partial void LogUnrepresentable(int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Time-series sink failed; retrying in {DelaySeconds} s")]
    private partial void LogFailed(Exception exception, double delaySeconds);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

/// <summary>The writer's v2 protocol and its per-status decisions, against <see cref="FakeInflux2Server"/>.</summary>
public sealed class InfluxWriterV2Tests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 3, 8, 0, 0, TimeSpan.Zero);
    private FakeInflux2Server server = null!;

    public async Task InitializeAsync() => server = await FakeInflux2Server.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(server.Violations);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_v2_write_is_sent_exactly_as_influxdb_2_documents_it()
    {
        using var writer = Writer();
        var points = Points(3);

        var result = await writer.WriteAsync(points);

        Assert.Equal((WriteOutcome.Written, 3), (result.Outcome, result.Written));
        var write = Assert.Single(server.Received);
        Assert.Equal(points.Select(LineProtocol.ToLine), write.Lines);
    }

    [Fact]
    public async Task A_413_splits_the_batch_into_halves_until_the_server_accepts_them()
    {
        server.Respond = (lines, _) => new FakeAnswer(lines.Count > 2 ? 413 : 204, """{"code":"request too large","message":"too large"}""");
        using var writer = Writer();
        var points = Points(8);

        var result = await writer.WriteAsync(points);

        Assert.Equal((WriteOutcome.Written, 8), (result.Outcome, result.Written));
        Assert.Equal([8, 4, 2, 2, 4, 2, 2], server.Received.Select(w => w.Lines.Count));
        var accepted = server.Received.Where(w => w.Answer.Status == 204).SelectMany(w => w.Lines);
        Assert.Equal(points.Select(LineProtocol.ToLine), accepted);
    }

    [Fact]
    public async Task A_single_point_that_is_still_too_large_is_rejected_with_the_servers_message()
    {
        server.Respond = (lines, _) => new FakeAnswer(lines.Any(l => l.Contains("huge", StringComparison.Ordinal)) ? 413 : 204, """{"code":"request too large","message":"payload exceeds 1 byte"}""");
        using var writer = Writer();
        var points = Points(3).Append(Point.Create("m").Field("huge", new string('x', 100)).Build(Start)).ToArray();

        var result = await writer.WriteAsync(points);

        Assert.Equal((WriteOutcome.PartiallyRejected, 3), (result.Outcome, result.Written));
        var rejected = Assert.Single(result.Rejected);
        Assert.Same(points[3], rejected.Point);
        Assert.Equal((413, "payload exceeds 1 byte"), (rejected.StatusCode, rejected.Reason));
    }

    [Fact]
    public async Task A_429_waits_for_the_retry_after_seconds_before_sending_again()
    {
        server.Respond = (_, index) => index == 0 ? new FakeAnswer(429, RetryAfter: "1") : new FakeAnswer(204);
        using var writer = Writer();
        var stopwatch = Stopwatch.StartNew();

        var result = await writer.WriteAsync(Points(2));

        Assert.Equal((WriteOutcome.Written, 2), (result.Outcome, result.Written));
        var writes = server.Received.ToArray();
        Assert.Equal([429, 204], writes.Select(w => w.Answer.Status));
        Assert.True(writes[1].ArrivedAt - writes[0].ArrivedAt >= TimeSpan.FromSeconds(0.95), $"retried after {writes[1].ArrivedAt - writes[0].ArrivedAt}");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task A_503_with_an_http_date_retry_after_is_retried_after_that_date()
    {
        var retryAt = DateTimeOffset.UtcNow.AddSeconds(2);
        server.Respond = (_, index) => index == 0
            ? new FakeAnswer(503, RetryAfter: retryAt.ToString("r", CultureInfo.InvariantCulture))
            : new FakeAnswer(204);
        using var writer = Writer();

        var result = await writer.WriteAsync(Points(2));

        Assert.Equal(WriteOutcome.Written, result.Outcome);
        Assert.Equal([503, 204], server.Received.Select(w => w.Answer.Status));
        // The header has whole seconds, so the retry comes no earlier than the second it names.
        Assert.True(DateTimeOffset.UtcNow >= retryAt.AddSeconds(-1).AddMilliseconds(-50));
    }

    [Fact]
    public async Task A_500_is_retried_with_back_off_until_it_succeeds()
    {
        server.Respond = (_, index) => index < 3 ? new FakeAnswer(500, """{"code":"internal error","message":"disk hiccup"}""") : new FakeAnswer(204);
        using var writer = Writer(o => o.InitialBackoff = TimeSpan.FromMilliseconds(20));

        var result = await writer.WriteAsync(Points(4));

        Assert.Equal((WriteOutcome.Written, 4), (result.Outcome, result.Written));
        var writes = server.Received.ToArray();
        Assert.Equal([500, 500, 500, 204], writes.Select(w => w.Answer.Status));
        var gaps = writes.Zip(writes.Skip(1), (a, b) => b.ArrivedAt - a.ArrivedAt).ToArray();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(9), $"gap {gap}"));
    }

    [Fact]
    public async Task Transient_failures_that_outlast_the_max_retry_duration_give_up_and_drop_nothing()
    {
        server.Respond = (_, _) => new FakeAnswer(502, "bad gateway");
        using var writer = Writer(o =>
        {
            o.InitialBackoff = TimeSpan.FromMilliseconds(50);
            o.MaxRetryDuration = TimeSpan.FromMilliseconds(400);
        });

        var result = await writer.WriteAsync(Points(3));

        Assert.Equal(WriteOutcome.GaveUp, result.Outcome);
        Assert.Equal((0, 0), (result.Written, result.Rejected.Count));
        Assert.Contains("bad gateway", result.Message, StringComparison.Ordinal);
        Assert.True(server.Received.Count > 1);
    }

    [Fact]
    public async Task A_401_stops_at_once_as_unauthorized_and_drops_nothing()
    {
        server.Respond = (_, _) => new FakeAnswer(401, """{"code":"unauthorized","message":"unauthorized access"}""");
        using var writer = Writer(o => o.BatchSize = 2);

        var result = await writer.WriteAsync(Points(6));

        Assert.Equal(WriteOutcome.Unauthorized, result.Outcome);
        Assert.Equal((0, 0), (result.Written, result.Rejected.Count));
        Assert.Equal("unauthorized: fix credentials (HTTP 401: unauthorized access)", result.Message);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_422_naming_a_line_dead_letters_that_line_and_writes_the_others()
    {
        server.Respond = (lines, _) =>
        {
            var bad = lines.Select((line, i) => (line, i)).Where(x => x.line.Contains("bad", StringComparison.Ordinal)).ToArray();
            return bad.Length == 0
                ? new FakeAnswer(204)
                : new FakeAnswer(422, $$"""{"code":"invalid","message":"failed to parse line protocol: errors encountered on line(s):\nline {{bad[0].i + 1}}: field \"bad\" is not allowed in bucket schema"}""");
        };
        var deadLetters = new List<RejectedLine>();
        using var writer = Writer(deadLetter: deadLetters);
        var points = Points(5).ToList();
        points.Insert(3, Point.Create("m").Field("bad", 1L).Build(Start.AddMinutes(1)));

        var result = await writer.WriteAsync(points);

        Assert.Equal((WriteOutcome.PartiallyRejected, 5), (result.Outcome, result.Written));
        var rejected = Assert.Single(result.Rejected);
        Assert.Same(points[3], rejected.Point);
        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("not allowed in bucket schema", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal([rejected], deadLetters);
        Assert.Equal([6, 1, 5], server.Received.Select(w => w.Lines.Count));
    }

    [Fact]
    public async Task Network_errors_are_retried_and_then_give_up_without_dropping_anything()
    {
        using var unused = new TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var closedPort = ((IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();
        var options = Options(o =>
        {
            o.Url = new Uri($"http://127.0.0.1:{closedPort}/");
            o.InitialBackoff = TimeSpan.FromMilliseconds(20);
            o.MaxRetryDuration = TimeSpan.FromMilliseconds(300);
        });
        using var writer = new InfluxWriter(options);

        var result = await writer.WriteAsync(Points(2));

        Assert.Equal(WriteOutcome.GaveUp, result.Outcome);
        Assert.Contains("network error", result.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (result.Written, result.Rejected.Count));
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_retry_after_stops_the_write()
    {
        server.Respond = (_, _) => new FakeAnswer(429, RetryAfter: "30");
        using var writer = Writer(o => o.MaxRetryDuration = TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource();

        var write = writer.WriteAsync(Points(1), cancel.Token);
        await WaitUntilAsync(() => !server.Received.IsEmpty);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_remaining_retry_duration_gives_up_at_once()
    {
        server.Respond = (_, _) => new FakeAnswer(503, RetryAfter: "600");
        using var writer = Writer(o => o.MaxRetryDuration = TimeSpan.FromSeconds(5));

        var result = await writer.WriteAsync(Points(1));

        Assert.Equal(WriteOutcome.GaveUp, result.Outcome);
        Assert.Single(server.Received);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task Each_retry_of_a_failing_write_is_counted_on_pollys_meter_as_a_retry_of_the_influx_write_pipeline()
    {
        var retries = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var pipeline = Tag(tags, "pipeline.name");
            var name = Tag(tags, "event.name");
            if (pipeline == "influx-write")
            {
                retries.Add(name ?? string.Empty);
            }
        });
        listener.Start();
        server.Respond = (_, index) => index < 2 ? new FakeAnswer(500, """{"code":"internal error","message":"disk hiccup"}""") : new FakeAnswer(204);
        using var writer = Writer(o => o.InitialBackoff = TimeSpan.FromMilliseconds(10));

        var result = await writer.WriteAsync([Point.Create("m").Field("v", 1L).Build(Start)]);

        Assert.Equal(WriteOutcome.Written, result.Outcome);
        Assert.Equal([500, 500, 204], server.Received.Select(w => w.Answer.Status));
        Assert.True(retries.Count(n => n == "OnRetry") >= 2, $"events seen: {string.Join(", ", retries)}");
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private static Point[] Points(int count) =>
        Enumerable.Range(0, count).Select(i => TimeSeriesSchema.Scan("genuine", Start.AddSeconds(i), "0690000000000" + i)).ToArray();

    private InfluxOptions Options(Action<InfluxOptions>? configure)
    {
        var options = new InfluxOptions
        {
            Url = server.Url,
            ApiVersion = InfluxApiVersion.V2,
            Org = FakeInflux2Server.Org,
            Bucket = FakeInflux2Server.Bucket,
            Token = FakeInflux2Server.Token,
            MaxRetryDuration = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return options;
    }

    private InfluxWriter Writer(Action<InfluxOptions>? configure = null, List<RejectedLine>? deadLetter = null) =>
        new(Options(configure), deadLetter is null ? null : (line, _) =>
        {
            deadLetter.Add(line);
            return ValueTask.CompletedTask;
        });
}

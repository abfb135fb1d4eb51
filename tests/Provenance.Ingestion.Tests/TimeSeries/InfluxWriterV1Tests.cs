using System.Collections.Concurrent;
using Provenance.Ingestion.Tests.Support;
using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

/// <summary>The writer against a real influxd 1.6 through the v1 API.</summary>
public sealed class InfluxWriterV1Tests(InfluxdFixture influxd) : IClassFixture<InfluxdFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Points_written_through_v1_appear_exactly_once_with_or_without_gzip(bool gzip)
    {
        var measurement = $"once_{gzip}";
        var points = Enumerable.Range(0, 250).Select(i => Point.Create(measurement).Tag("site", $"s{i % 3}").Field("v", (long)i).Build(Start.AddMilliseconds(i))).ToArray();
        using var writer = Writer(o => o.Gzip = gzip);

        var result = await writer.WriteAsync(points);

        Assert.Equal(WriteOutcome.Written, result.Outcome);
        Assert.Equal(250, result.Written);
        Assert.Empty(result.Rejected);
        Assert.Equal(250, await influxd.CountAsync(measurement, "v"));
    }

    [Fact]
    public async Task Writing_the_same_batch_twice_keeps_one_copy_of_each_point()
    {
        var points = Enumerable.Range(0, 40).Select(i => TimeSeriesSchema.Seal("site-1", "gw-1", "L1", Start.AddTicks(i), attested: true, "tamper-evident", $"evt-{i}")).ToArray();
        using var writer = Writer(o => o.BatchSize = 7);

        var first = await writer.WriteAsync(points);
        var replay = await writer.WriteAsync(points);

        Assert.Equal((WriteOutcome.Written, 40), (first.Outcome, first.Written));
        Assert.Equal((WriteOutcome.Written, 40), (replay.Outcome, replay.Written));
        Assert.Equal(40, await influxd.CountAsync("seal", "event_id"));
    }

    [Fact]
    public async Task Nasty_names_and_strings_come_back_from_influxd_exactly_as_written()
    {
        const string measurement = "nasty, measure=ment";
        const string tagValue = "上海 浦东,gate=1 \\x";
        const string text = "quote \" backslash \\ comma, equals= newline\n封签✓";
        var point = Point.Create(measurement).Tag("tag key,=", tagValue).Field("field key,=", text).Field("x", -0.000123).Build(Start);
        using var writer = Writer();

        var result = await writer.WriteAsync([point]);

        Assert.Equal(WriteOutcome.Written, result.Outcome);
        var row = Assert.Single(await influxd.RowsAsync(measurement));
        Assert.Equal(tagValue, row["tag key,="].GetString());
        Assert.Equal(text, row["field key,="].GetString());
        Assert.Equal(-0.000123, row["x"].GetDouble());
        Assert.Equal(point.UnixNanoseconds, row["time"].GetInt64());
    }

    [Fact]
    public async Task A_partial_write_keeps_the_good_points_and_dead_letters_the_conflicting_line_with_influxdbs_message()
    {
        const string measurement = "conflict";
        using var writer = Writer();
        var seed = await writer.WriteAsync([Point.Create(measurement).Field("f", 1L).Build(Start)]);
        Assert.Equal(WriteOutcome.Written, seed.Outcome);
        var batch = Enumerable.Range(1, 9)
            .Select(i => i == 6
                ? Point.Create(measurement).Field("f", "not an integer").Build(Start.AddSeconds(i))
                : Point.Create(measurement).Field("f", (long)i).Build(Start.AddSeconds(i)))
            .ToArray();
        var deadLetters = new ConcurrentQueue<RejectedLine>();
        using var writerWithDeadLetter = Writer(deadLetter: deadLetters);

        var result = await writerWithDeadLetter.WriteAsync(batch);

        Assert.Equal(WriteOutcome.PartiallyRejected, result.Outcome);
        Assert.Equal(8, result.Written);
        var rejected = Assert.Single(result.Rejected);
        Assert.Same(batch[5], rejected.Point);
        Assert.Equal(400, rejected.StatusCode);
        Assert.Contains("field type conflict", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(LineProtocol.ToLine(batch[5]), rejected.Line);
        Assert.Equal([rejected], deadLetters);
        Assert.Equal(9, await influxd.CountAsync(measurement, "f"));
    }

    [Fact]
    public async Task A_missing_database_gives_up_with_influxdbs_message_and_drops_nothing()
    {
        using var writer = Writer(o => o.Database = "no_such_database");

        var result = await writer.WriteAsync([Point.Create("m").Field("f", 1L).Build(Start)]);

        Assert.Equal(WriteOutcome.GaveUp, result.Outcome);
        Assert.False(result.IsComplete);
        Assert.Empty(result.Rejected);
        Assert.Contains("database not found", result.Message, StringComparison.Ordinal);
    }

    private InfluxWriter Writer(Action<InfluxOptions>? configure = null, ConcurrentQueue<RejectedLine>? deadLetter = null)
    {
        var options = new InfluxOptions { Url = influxd.Url, ApiVersion = InfluxApiVersion.V1, Database = influxd.Database, MaxRetryDuration = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return new InfluxWriter(options, deadLetter is null ? null : (line, _) =>
        {
            deadLetter.Enqueue(line);
            return ValueTask.CompletedTask;
        });
    }
}

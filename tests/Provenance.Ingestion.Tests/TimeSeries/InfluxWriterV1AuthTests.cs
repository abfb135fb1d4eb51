using Provenance.Ingestion.Tests.Support;
using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

/// <summary>The writer against a real influxd 1.6 with authentication enabled.</summary>
public sealed class InfluxWriterV1AuthTests(InfluxdAuthFixture influxd) : IClassFixture<InfluxdAuthFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 5, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_wrong_password_stops_the_write_as_unauthorized_and_drops_nothing()
    {
        var deadLetters = 0;
        var options = Options("wrong-password");
        using var writer = new InfluxWriter(options, (_, _) =>
        {
            Interlocked.Increment(ref deadLetters);
            return ValueTask.CompletedTask;
        });
        var points = Enumerable.Range(0, 10).Select(i => Point.Create("auth").Field("f", (long)i).Build(Start.AddSeconds(i))).ToArray();

        var result = await writer.WriteAsync(points);

        Assert.Equal(WriteOutcome.Unauthorized, result.Outcome);
        Assert.False(result.IsComplete);
        Assert.Equal(0, result.Written);
        Assert.Empty(result.Rejected);
        Assert.Equal(0, deadLetters);
        Assert.Contains("unauthorized: fix credentials", result.Message, StringComparison.Ordinal);
        Assert.Contains("authorization failed", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, await influxd.CountAsync("auth", "f"));
    }

    [Fact]
    public async Task The_right_password_sent_as_basic_authentication_writes_the_points()
    {
        using var writer = new InfluxWriter(Options(InfluxdServer.AdminPassword));

        var result = await writer.WriteAsync([Point.Create("auth_ok").Field("f", 1L).Build(Start)]);

        Assert.Equal(WriteOutcome.Written, result.Outcome);
        Assert.Equal(1, await influxd.CountAsync("auth_ok", "f"));
    }

    private InfluxOptions Options(string password) => new()
    {
        Url = influxd.Url,
        Database = influxd.Database,
        Username = InfluxdServer.AdminUser,
        Password = password,
        MaxRetryDuration = TimeSpan.FromSeconds(5),
    };
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

public class InfluxPolicyTests
{
    [Theory]
    [InlineData(204, WriteDecision.Done)]
    [InlineData(200, WriteDecision.Done)]
    [InlineData(413, WriteDecision.SplitBatch)]
    [InlineData(400, WriteDecision.RejectBadLines)]
    [InlineData(422, WriteDecision.RejectBadLines)]
    [InlineData(401, WriteDecision.StopUnauthorized)]
    [InlineData(403, WriteDecision.StopUnauthorized)]
    [InlineData(429, WriteDecision.RetryAfter)]
    [InlineData(503, WriteDecision.RetryAfter)]
    [InlineData(500, WriteDecision.BackOff)]
    [InlineData(502, WriteDecision.BackOff)]
    [InlineData(404, WriteDecision.StopMisconfigured)]
    public void Each_status_maps_to_one_decision(int status, WriteDecision expected)
    {
        Assert.Equal(expected, InfluxResponsePolicy.Decide((HttpStatusCode)status));
        Assert.Equal(expected is WriteDecision.RetryAfter or WriteDecision.BackOff, InfluxResponsePolicy.IsTransient((HttpStatusCode)status));
    }

    [Fact]
    public void Network_errors_and_timeouts_are_transient_but_programming_errors_are_not()
    {
        Assert.True(InfluxResponsePolicy.IsTransient(new HttpRequestException("connection refused")));
        Assert.True(InfluxResponsePolicy.IsTransient(new TimeoutException()));
        Assert.False(InfluxResponsePolicy.IsTransient(new InvalidOperationException()));
    }

    [Theory]
    [InlineData("""{"error":"partial write: field type conflict dropped=1"}""", "partial write: field type conflict dropped=1")]
    [InlineData("""{"code":"invalid","message":"no data written"}""", "no data written")]
    [InlineData("plain text\n", "plain text")]
    [InlineData("", "from header")]
    public void The_message_is_read_from_v1_and_v2_error_bodies(string body, string expected)
    {
        Assert.Equal(expected, InfluxErrorBody.Message(body, "from header", 400));
    }

    [Fact]
    public void Lines_named_by_number_or_by_content_are_found_and_other_messages_name_none()
    {
        string[] lines = ["m f=1i 1", "m f= 2", "m f=3i 3"];

        Assert.Equal([1, 2], InfluxErrorBody.NamedLines("errors encountered on line(s):\nline 2: bad\nline 3: worse", lines));
        Assert.Equal([1], InfluxErrorBody.NamedLines("partial write: unable to parse 'm f= 2': missing field value dropped=0", lines));
        Assert.Empty(InfluxErrorBody.NamedLines("partial write: field type conflict dropped=1", lines));
        Assert.Empty(InfluxErrorBody.NamedLines("line 9: out of range", lines));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_an_http_date_and_capped()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var max = TimeSpan.FromSeconds(30);

        Assert.Equal(TimeSpan.FromSeconds(2), RetryDelay.FromRetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(2)), now, max));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryDelay.FromRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(5)), now, max));
        Assert.Equal(TimeSpan.Zero, RetryDelay.FromRetryAfter(new RetryConditionHeaderValue(now.AddSeconds(-5)), now, max));
        Assert.Equal(max, RetryDelay.FromRetryAfter(new RetryConditionHeaderValue(TimeSpan.FromHours(1)), now, max));
        Assert.Null(RetryDelay.FromRetryAfter(null, now, max));
    }

    [Fact]
    public void Back_off_grows_exponentially_with_jitter_and_stays_under_the_cap()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(1);

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var step = Math.Min(100 * Math.Pow(2, attempt), 1000);
            Assert.InRange(RetryDelay.Backoff(attempt, initial, max).TotalMilliseconds, step / 2, step);
        }
    }

    [Fact]
    public void Options_need_a_database_for_v1_and_org_bucket_and_token_for_v2()
    {
        Assert.Empty(Validate(new InfluxOptions { Url = new Uri("http://127.0.0.1:8086"), Database = "db" }));
        Assert.Contains(Validate(new InfluxOptions { Url = new Uri("http://127.0.0.1:8086") }), r => r.MemberNames.Contains(nameof(InfluxOptions.Database)));
        Assert.Contains(Validate(new InfluxOptions { Url = new Uri("http://127.0.0.1:8086"), ApiVersion = InfluxApiVersion.V2, Org = "o", Bucket = "b" }), r => r.MemberNames.Contains(nameof(InfluxOptions.Token)));
        Assert.Contains(Validate(new InfluxOptions { Database = "db" }), r => r.MemberNames.Contains(nameof(InfluxOptions.Url)));
        Assert.Contains(Validate(new InfluxOptions { Url = new Uri("http://127.0.0.1:8086"), Database = "db", BatchSize = 0 }), r => r.MemberNames.Contains(nameof(InfluxOptions.BatchSize)));
        Assert.Throws<ValidationException>(() => new InfluxWriter(new InfluxOptions { Url = new Uri("ftp://127.0.0.1"), Database = "db" }));
    }

    private static List<ValidationResult> Validate(InfluxOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}

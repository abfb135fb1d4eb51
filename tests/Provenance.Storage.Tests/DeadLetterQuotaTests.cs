using Provenance.Storage.Ingestion;

namespace Provenance.Storage.Tests;

/// <summary>What the dead-letter store keeps of a rejected message, and how its quotas bound it.</summary>
public sealed class DeadLetterQuotaTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 1);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_message_with_many_rejected_events_keeps_its_bytes_once_cut_to_the_limit()
    {
        var quota = new DeadLetterQuota { MaxPayloadBytes = 1024 };
        var writer = new IngestionWriter(_fixture.Database, quota);
        var message = new byte[300 * 1024];
        Random.Shared.NextBytes(message);
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", SourceGatewayId = "g1", RawMessage = message };
        for (var i = 0; i < 1000; i++)
        {
            unit.DeadLetters.Add(new DeadLetter(unit.Topic, "unknown_tag", $"event e{i}: tag was never issued", $"e{i}"));
        }

        var outcome = writer.Commit([unit]);

        Assert.Equal(1000, outcome.DeadLettersByReason["unknown_tag"]);
        var letters = new DeadLetterStore(_fixture.Database, quota).List("unknown_tag", limit: 2000);
        Assert.Equal(1000, letters.Count);
        Assert.Single(letters.Select(l => l.MessageId).Distinct());
        Assert.All(letters, l => Assert.Equal(message.AsSpan(0, 1024).ToArray(), l.Payload));
        Assert.All(letters, l => Assert.Equal(message.Length, l.PayloadLength));
        Assert.True(letters[0].IsTruncated);
        var status = new DeadLetterStore(_fixture.Database, quota).QuotaStatus();
        Assert.Equal(1, status.Messages);
        Assert.True(status.UsedBytes < 200 * 1024, $"{status.UsedBytes} bytes for one message of 1,000 rejected events");
    }

    [Fact]
    public void Reasons_and_topics_from_the_wire_are_cut()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var topic = "prov/v1/" + new string('t', 60_000);

        writer.AddDeadLetters([new DeadLetter(topic, "bad_topic", "topic " + topic + " is bad", null, [1, 2, 3])]);

        var letter = Assert.Single(new DeadLetterStore(_fixture.Database).List("bad_topic"));
        Assert.True(letter.Topic!.Length <= 256);
        Assert.True(letter.Reason.Length <= 1000);
        Assert.Equal([1, 2, 3], letter.Payload);
    }

    [Fact]
    public void A_gateway_over_its_quota_loses_its_own_oldest_dead_letters_and_no_one_elses()
    {
        var quota = new DeadLetterQuota { MaxPayloadBytes = 10_000, MaxBytesPerGateway = 100_000, MaxTotalBytes = 10_000_000 };
        var writer = new IngestionWriter(_fixture.Database, quota);
        var store = new DeadLetterStore(_fixture.Database, quota);
        writer.AddDeadLetters([new DeadLetter("prov/v1/s1/quiet/seal", "malformed", "first of quiet", null, new byte[5_000])], "quiet");

        var pruned = 0;
        for (var i = 0; i < 50; i++)
        {
            pruned += writer.AddDeadLetters([new DeadLetter("prov/v1/s1/noisy/seal", "malformed", $"noisy {i}", null, new byte[10_000])], "noisy").DeadLettersPruned;
        }

        var bytes = store.BytesByGateway();
        Assert.True(bytes["noisy"] <= quota.MaxBytesPerGateway, $"noisy holds {bytes["noisy"]} bytes");
        Assert.True(pruned >= 40, $"only {pruned} pruned");
        var kept = store.List("malformed", limit: 1000);
        Assert.Contains(kept, l => l.Reason == "first of quiet");
        Assert.Contains(kept, l => l.Reason == "noisy 49");
        Assert.DoesNotContain(kept, l => l.Reason == "noisy 0");
        Assert.Equal(pruned, store.QuotaStatus().Pruned);
    }

    [Fact]
    public void Over_the_total_quota_the_oldest_dead_letters_of_anyone_go_first_and_readiness_is_warned()
    {
        var quota = new DeadLetterQuota { MaxPayloadBytes = 10_000, MaxBytesPerGateway = 1024 * 1024, MaxTotalBytes = 1024 * 1024, NearQuotaPercent = 80 };
        var writer = new IngestionWriter(_fixture.Database, quota);
        var store = new DeadLetterStore(_fixture.Database, quota);
        Assert.False(store.QuotaStatus().IsNearQuota);

        for (var i = 0; i < 200; i++)
        {
            writer.AddDeadLetters([new DeadLetter(null, "malformed", $"letter {i}", null, new byte[10_000])], $"gw-{i % 7}");
        }

        var status = store.QuotaStatus();
        Assert.True(status.UsedBytes <= quota.MaxTotalBytes, status.Describe());
        Assert.True(status.IsNearQuota, status.Describe());
        Assert.Contains("oldest dead letters are pruned", status.Describe(), StringComparison.Ordinal);
        var kept = store.List("malformed", limit: 1000);
        Assert.Equal(199, kept.Max(l => int.Parse(l.Reason["letter ".Length..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(kept, l => l.Reason == "letter 0");
        Assert.Equal(200, kept.Count + status.Pruned);
    }

    [Fact]
    public void A_status_message_is_stored_in_the_commit_of_its_message()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/status", GatewayId = "g1", SourceGatewayId = "g1", Status = new GatewayStatusUpdate("offline", DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) };
        var poison = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1" };
        poison.Seals.Add(_fixture.SealUnit(1).Seals[0] with { RecordJson = null! });

        Assert.ThrowsAny<Exception>(() => writer.Commit([unit, poison]));
        Assert.Null(LastStatus());

        writer.Commit([unit]);
        Assert.Equal("offline", LastStatus());
    }

    private string? LastStatus()
    {
        using var c = _fixture.Database.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT last_status FROM gateways WHERE id = 'g1'";
        return cmd.ExecuteScalar() as string;
    }
}

using MQTTnet;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// The bad-input corpus at the MQTT boundary (<see cref="BadInput.Corpus"/>), published by a gateway with valid
/// credentials through the real embedded broker: each entry gets its PUBACK, leaves exactly its dead letters (with
/// the message's bytes), stores what it must, and loses nothing acknowledged before it; the gateway's connection
/// keeps working.
/// </summary>
public sealed class MqttBadInputCorpusTests(BrokerRigFixture fixture) : IClassFixture<BrokerRigFixture>
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var input in BadInput.Corpus)
        {
            data.Add(input.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_answered_dead_lettered_with_its_reason_and_loses_nothing_acknowledged_before(string name)
    {
        var input = BadInput.Corpus.Single(i => i.Name == name);
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("corpus");
        using var client = await rig.ConnectAsync(gateway);
        var acknowledgedBefore = await rig.SealAndConfirmAsync(client, gateway, count: 3);
        var sealsBefore = rig.Seals.Count();
        var lettersBefore = rig.DeadLetterCount(input.Reason);
        var (topic, payload) = input.Build(rig, gateway);

        var result = await BrokerRig.PublishAsync(client, topic, payload);

        Assert.Equal(input.Ack, result.ReasonCode);
        Assert.Equal(lettersBefore + input.Letters, rig.DeadLetterCount(input.Reason));
        var letter = rig.DeadLetters.List(input.Reason, limit: 1)[0];
        Assert.Equal(payload.AsSpan(0, Math.Min(payload.Length, rig.Quota.MaxPayloadBytes)).ToArray(), letter.Payload);
        Assert.Equal(payload.Length, letter.PayloadLength);
        Assert.True(sealsBefore + input.Stored <= rig.Seals.Count(), $"expected {input.Stored} event(s) of the message stored");
        Assert.All(acknowledgedBefore, id => Assert.True(rig.Seals.ContainsEvent(id), $"acknowledged event {id} was lost"));
        await rig.SealAndConfirmAsync(client, gateway);
        rig.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_replayed_accepted_message_is_absorbed_once_and_a_reused_event_id_is_a_conflict()
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("replay");
        using var client = await rig.ConnectAsync(gateway);
        var (topic, payload, events) = rig.GoodSeal(gateway, 2);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await BrokerRig.PublishAsync(client, topic, payload)).ReasonCode);
        var sealsAfterFirst = rig.Seals.Count();
        var conflictsBefore = rig.DeadLetterCount("conflict");

        Assert.Equal(MqttClientPublishReasonCode.Success, (await BrokerRig.PublishAsync(client, topic, payload)).ReasonCode);
        var reused = rig.SealOf(gateway, [BrokerRig.Event(rig.Issue(1)[0], eventId: events[0].EventId)]);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await BrokerRig.PublishAsync(client, reused.Topic, reused.Payload)).ReasonCode);

        Assert.Equal(sealsAfterFirst, rig.Seals.Count());
        Assert.Equal(conflictsBefore + 1, rig.DeadLetterCount("conflict"));
        rig.AssertNoUnexpectedErrors();
    }

    [Fact]
    public void The_corpus_covers_every_kind_of_bad_input_the_issue_names()
    {
        var names = string.Join('\n', BadInput.Corpus.Select(i => i.Name));
        foreach (var kind in new[] { "oversized", "nested", "null", "unicode", "wrong alg", "wrong kid", "wrong curve", "replay", "binary", "JSON" })
        {
            Assert.Contains(kind, names, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(BadInput.Corpus.Count >= 45, $"{BadInput.Corpus.Count} entries");
    }
}

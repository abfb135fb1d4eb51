using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;
using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 17, observability: one seal traced across the system — the gateway's MQTT 5 publish (W3C traceparent user
/// property), ingestion's verification, the group commit and the ledger sink's write — recorded by OpenTelemetry's
/// in-memory exporter; and trace context as hostile input (absent, malformed, oversized) that never fails a message.
/// </summary>
public sealed class SealTracingTests
{
    private const string Publish = "gateway.publish";
    private const string Verify = "ingestion.verify";
    private const string Commit = "storage.commit";
    private const string LedgerWrite = "ledger.embedded.write";

    [Fact]
    public async Task A_seal_published_with_a_traceparent_is_verified_committed_and_written_to_the_ledger_in_the_gateways_trace()
    {
        const int Seals = 4;
        await using var rig = await TracedIngestion.StartAsync(Seals);
        using var key = Simulation.LoadKey(rig.Gateway);
        await Simulation.RunAsync(rig.Simulator(key) with { Trace = true }, TimeSpan.FromMinutes(1));

        var spans = await rig.Spans.WaitForAsync(s => SealPublishes(s).Count >= Seals && SealPublishes(s).All(p => LedgerWriteOf(s, p) is not null), TimeSpan.FromMinutes(1), "every traced seal to reach the ledger sink");

        foreach (var publish in SealPublishes(spans))
        {
            Assert.Equal("Provenance.FirmwareSim", publish.Source.Name);
            Assert.Equal(ActivityKind.Producer, publish.Kind);
            var verify = Assert.Single(spans, s => s.DisplayName == Verify && s.ParentSpanId == publish.SpanId);
            Assert.Equal(publish.TraceId, verify.TraceId);
            Assert.Equal("Provenance.Ingestion", verify.Source.Name);
            Assert.Equal(ActivityKind.Consumer, verify.Kind);
            Assert.True(verify.HasRemoteParent);
            Assert.Equal(1, verify.GetTagItem("provenance.seals"));
            var commit = Assert.Single(spans, s => s.DisplayName == Commit && s.ParentSpanId == verify.SpanId);
            Assert.Equal(publish.TraceId, commit.TraceId);
            Assert.Equal("Provenance.Storage", commit.Source.Name);
            Assert.NotEqual(ActivityStatusCode.Error, commit.Status);

            // The sink runs later, in its own batches: its write is a root span of its own, linked to the seal's commit.
            var write = LedgerWriteOf(spans, publish)!;
            Assert.Equal("Provenance.Sinks.EmbeddedLedger", write.Source.Name);
            Assert.Equal(default, write.ParentSpanId);
            Assert.NotEqual(publish.TraceId, write.TraceId);
            Assert.Contains(write.Links, l => l.Context.TraceId == publish.TraceId && l.Context.SpanId == commit.SpanId);
        }

        Assert.Equal(Seals, HostDatabase.LedgerEventIds(rig.DataDirectory).Count);
        Assert.True(rig.Host.Errors.Count == 0, rig.Errors);
    }

    [Fact]
    public async Task A_message_without_a_traceparent_gets_a_root_span_and_a_malformed_or_oversized_one_is_ignored_without_failing_the_message()
    {
        await using var rig = await TracedIngestion.StartAsync(3);
        using var key = Simulation.LoadKey(rig.Gateway);
        string?[] traceParents = [null, "00-not-a-trace-context-01", "00-" + new string('a', 400)];
        var eventIds = traceParents.Select((_, i) => $"evt-trace-{i}").ToList();

        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", rig.Broker.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(rig.Gateway.GatewayId).WithCredentials(rig.Gateway.GatewayId, rig.Gateway.Secret).WithCleanStart(true).Build());
        for (var i = 0; i < traceParents.Length; i++)
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(new GatewayTopic(rig.Gateway.SiteId, rig.Gateway.GatewayId, GatewayMessageKind.Seal).ToString())
                .WithPayload(SignedSeal(rig, key, eventIds[i], rig.Codes[i], i))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (traceParents[i] is { } traceParent)
            {
                message = message.WithUserProperty("traceparent", Encoding.UTF8.GetBytes(traceParent).AsMemory());
            }

            var result = await client.PublishAsync(message.Build());
            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        }

        var spans = await rig.Spans.WaitForAsync(s => Verified(s).Count >= traceParents.Length, TimeSpan.FromMinutes(1), "a committed verification span per message");
        var verified = Verified(spans);
        Assert.Equal(traceParents.Length, verified.Count);
        Assert.All(verified, v =>
        {
            Assert.Equal(default, v.ParentSpanId);
            Assert.False(v.HasRemoteParent);
            Assert.NotEqual(ActivityStatusCode.Error, v.Status);
            Assert.Equal(1, v.GetTagItem("provenance.seals"));
        });
        Assert.Equal(traceParents.Length, verified.Select(v => v.TraceId).Distinct().Count());
        Assert.Equal(2, verified.Count(v => v.GetTagItem("provenance.traceparent") is string ignored && ignored.StartsWith("ignored", StringComparison.Ordinal)));
        Assert.All(eventIds, id => Assert.Contains(id, HostDatabase.SealEventIds(rig.DataDirectory)));
        Assert.True(rig.Host.Errors.Count == 0, rig.Errors);
    }

    private static List<Activity> SealPublishes(IReadOnlyList<Activity> spans) =>
        [.. spans.Where(s => s.DisplayName == Publish && s.GetTagItem("messaging.destination.name") is string topic && topic.EndsWith("/seal", StringComparison.Ordinal))];

    /// <summary>The ledger write linked to the commit of the seal message <paramref name="publish"/> started.</summary>
    private static Activity? LedgerWriteOf(IReadOnlyList<Activity> spans, Activity publish)
    {
        var verify = spans.FirstOrDefault(s => s.DisplayName == Verify && s.ParentSpanId == publish.SpanId);
        var commit = verify is null ? null : spans.FirstOrDefault(s => s.DisplayName == Commit && s.ParentSpanId == verify.SpanId);
        return commit is null ? null : spans.FirstOrDefault(s => s.DisplayName == LedgerWrite && s.Links.Any(l => l.Context.SpanId == commit.SpanId));
    }

    /// <summary>Verification spans of seal messages whose commit span has ended too.</summary>
    private static List<Activity> Verified(IReadOnlyList<Activity> spans) =>
        [.. spans.Where(v => v.DisplayName == Verify && v.GetTagItem("messaging.destination.name") is string topic && topic.EndsWith("/seal", StringComparison.Ordinal)
            && spans.Any(c => c.DisplayName == Commit && c.ParentSpanId == v.SpanId))];

    private static byte[] SignedSeal(TracedIngestion rig, ECDsa key, string eventId, string code, int sequence)
    {
        var now = DateTimeOffset.UtcNow;
        var seal = new SealEvent { EventId = eventId, Tag = code, Line = "line-1", SealedAt = now, SealType = "capsule", Sequence = sequence };
        return Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(new SealMessage { SiteId = rig.Gateway.SiteId, GatewayId = rig.Gateway.GatewayId, SentAt = now, Events = [seal] }, key));
    }
}

using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Packets;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// <c>--trace</c>: each publish attempt is a <c>gateway.publish</c> span on source <c>Provenance.FirmwareSim</c>, and its
/// W3C context rides on the message as MQTT 5 user properties. When nothing in the process records spans (the usual
/// case for the command-line tool), the message still carries a fresh, sampled context so that ingestion's trace
/// starts at the gateway. Thread-safe.
/// </summary>
internal static class PublishTracing
{
    public const string SourceName = "Provenance.FirmwareSim";
    public const string SpanName = "gateway.publish";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one publish attempt, or null when tracing is off (or nothing records it).</summary>
    public static Activity? Start(SimulatorOptions options, string topic)
    {
        if (!options.Trace || options.IotHub)
        {
            return null;
        }

        var span = Source.StartActivity(SpanName, ActivityKind.Producer);
        span?.SetTag("messaging.system", "mqtt");
        span?.SetTag("messaging.destination.name", topic);
        return span;
    }

    /// <summary>Adds <c>traceparent</c> (and <c>tracestate</c>) to <paramref name="message"/> when tracing is on.</summary>
    public static MqttApplicationMessage Carry(SimulatorOptions options, Activity? span, MqttApplicationMessage message)
    {
        if (!options.Trace || options.IotHub)
        {
            return message;
        }

        var traceParent = span?.Id ?? $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        message.UserProperties ??= [];
        message.UserProperties.Add(new MqttUserProperty("traceparent", Encoding.UTF8.GetBytes(traceParent).AsMemory()));
        if (span?.TraceStateString is { Length: > 0 } state)
        {
            message.UserProperties.Add(new MqttUserProperty("tracestate", Encoding.UTF8.GetBytes(state).AsMemory()));
        }

        return message;
    }
}

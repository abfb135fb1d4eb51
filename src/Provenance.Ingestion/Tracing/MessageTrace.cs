using System.Diagnostics;
using System.Text;
using MQTTnet.Packets;

namespace Provenance.Ingestion.Tracing;

/// <summary>
/// The W3C trace context a gateway may send with a publish as MQTT 5 user properties <c>traceparent</c> and
/// <c>tracestate</c>. Hostile input like the rest of the message: bounded, parsed strictly, and ignored when it does not
/// parse — a message never fails because of its trace context.
/// </summary>
public readonly record struct MessageTrace(string? TraceParent, string? TraceState)
{
    public const string TraceParentProperty = "traceparent";
    public const string TraceStateProperty = "tracestate";

    /// <summary>A version-00 traceparent is 55 characters; later versions may append fields.</summary>
    private const int MaxTraceParentBytes = 256;

    /// <summary>The W3C limit for tracestate.</summary>
    private const int MaxTraceStateBytes = 512;

    /// <summary>True when the message carried a traceparent (well-formed or not).</summary>
    public bool IsPresent => TraceParent is not null;

    /// <summary>The first <c>traceparent</c> and <c>tracestate</c> among a publish's user properties, cut to their bounds.</summary>
    public static MessageTrace From(IReadOnlyList<MqttUserProperty>? properties)
    {
        string? parent = null;
        string? state = null;
        foreach (var property in properties ?? [])
        {
            if (parent is null && property.Name == TraceParentProperty)
            {
                parent = Bounded(property.ValueBuffer, MaxTraceParentBytes);
            }
            else if (state is null && property.Name == TraceStateProperty)
            {
                state = Bounded(property.ValueBuffer, MaxTraceStateBytes);
            }
        }

        return new MessageTrace(parent, state);
    }

    /// <summary>The remote parent, or false (a root span follows) when there is none or it does not parse.</summary>
    public bool TryParse(out ActivityContext context)
    {
        context = default;
        return TraceParent is not null && ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out context);
    }

    private static string Bounded(ReadOnlyMemory<byte> value, int max) =>
        value.Length > max ? string.Empty : Encoding.UTF8.GetString(value.Span);
}

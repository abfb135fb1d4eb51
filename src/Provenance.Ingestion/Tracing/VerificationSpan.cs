using System.Diagnostics;
using Provenance.Ingestion.Internal;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Tracing;

/// <summary>
/// The <c>ingestion.verify</c> span of one message on <see cref="IngestionMetrics.ActivitySource"/>: a child of the
/// gateway's publish when the message carries a valid <c>traceparent</c>, a root span otherwise (never a child of
/// whatever happens to be current on the ingestion loop). Its context travels with the <see cref="IngestionUnit"/> to
/// the commit and, through the journal, to the sinks.
/// </summary>
internal static class VerificationSpan
{
    public const string Name = "ingestion.verify";

    public static Activity? Start(InboundMessage message)
    {
        var source = IngestionMetrics.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        var hasParent = message.Trace.TryParse(out var parent);
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var span = source.StartActivity(Name, ActivityKind.Consumer, parent);
            span?.SetTag("messaging.system", "mqtt");
            span?.SetTag("messaging.destination.name", Topics.Bounded(message.Topic));
            if (message.Trace.IsPresent && !hasParent)
            {
                span?.SetTag("provenance.traceparent", "ignored: not a valid W3C traceparent");
            }

            return span;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>Records what the message became and ends the span; the unit keeps the span's context.</summary>
    public static void Finish(Activity? span, IngestionUnit unit)
    {
        if (span is null)
        {
            return;
        }

        unit.TraceContext = span.Context;
        span.SetTag("provenance.gateway.id", unit.GatewayId ?? unit.SourceGatewayId);
        span.SetTag("provenance.seals", unit.Seals.Count);
        if (unit.DeadLetters.Count > 0)
        {
            var reasons = string.Join(',', unit.DeadLetters.Select(d => d.ReasonCode).Distinct(StringComparer.Ordinal));
            span.SetTag("provenance.rejected", reasons);
            if (unit.Seals.Count == 0 && unit.Fixes.Count == 0 && unit.Packs.Count == 0 && unit.Status is null)
            {
                span.SetStatus(ActivityStatusCode.Error, reasons);
            }
        }

        Stop(span);
    }

    public static void Fail(Activity? span, Exception e)
    {
        span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        Stop(span);
    }

    /// <summary>Ends a span that was never made current, leaving the loop's current activity as it was.</summary>
    private static void Stop(Activity? span)
    {
        var previous = Activity.Current;
        span?.Stop();
        Activity.Current = previous;
    }
}

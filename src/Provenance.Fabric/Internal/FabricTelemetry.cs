using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Provenance.Fabric.Internal;

/// <summary>
/// The component's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Provenance.Fabric</c>; hosts add
/// exporters. Thread-safe.
/// </summary>
internal static class FabricTelemetry
{
    public const string Name = "Provenance.Fabric";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Gateway calls, tagged with step and outcome (ok or the gRPC status).</summary>
    public static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "provenance.fabric.calls", unit: "{call}", description: "Fabric Gateway calls by step and outcome.");

    /// <summary>Duration of each gateway call attempt.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "provenance.fabric.call.duration", unit: "s", description: "Duration of Fabric Gateway call attempts.");

    /// <summary>Retries of idempotent steps after transient failures.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "provenance.fabric.retries", unit: "{retry}", description: "Retries after transient Fabric Gateway failures.");

    /// <summary>Chaincode events delivered to callers.</summary>
    public static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "provenance.fabric.chaincode_events", unit: "{event}", description: "Chaincode events delivered.");
}

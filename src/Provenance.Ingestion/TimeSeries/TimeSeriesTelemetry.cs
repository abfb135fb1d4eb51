using System.Diagnostics.Metrics;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// The <see cref="Meter"/> of the time-series writer. The host subscribes to <see cref="MeterName"/>
/// to export; nothing here depends on an exporter. Thread-safe.
/// </summary>
public static class TimeSeriesTelemetry
{
    /// <summary>The stable meter name: <c>Provenance.Ingestion.TimeSeries</c>.</summary>
    public const string MeterName = "Provenance.Ingestion.TimeSeries";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> PointsWritten = Meter.CreateCounter<long>(
        "provenance.timeseries.points.written", "{point}", "Points InfluxDB confirmed as stored.");

    internal static readonly Counter<long> PointsRejected = Meter.CreateCounter<long>(
        "provenance.timeseries.points.rejected", "{point}", "Points InfluxDB refused for good (dead-lettered).");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "provenance.timeseries.retries", "{retry}", "Requests sent again after a transient failure.");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "provenance.timeseries.request.duration", "s", "Duration of InfluxDB write requests.");
}

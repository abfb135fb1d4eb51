namespace Provenance.Ingestion.TimeSeries;

/// <summary>A point InfluxDB refused for good, with the line that was sent and InfluxDB's own words.</summary>
/// <param name="Point">The refused point.</param>
/// <param name="Line">The line of line protocol that was sent, without newline.</param>
/// <param name="StatusCode">The HTTP status InfluxDB answered (400, 413 or 422).</param>
/// <param name="Reason">InfluxDB's error message.</param>
public sealed record RejectedLine(Point Point, string Line, int StatusCode, string Reason);

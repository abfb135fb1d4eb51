using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Line protocol for <see cref="Point"/>s, serialised by InfluxDB.Client's <see cref="PointData"/> (escaping,
/// invariant-culture numbers, the <c>i</c> integer suffix, nanosecond timestamps). What stays here is what the
/// library does not check: <see cref="PointBuilder"/> refuses, before a point exists, any element line protocol
/// cannot carry, using the escape sets below. Thread-safe (stateless).
/// </summary>
public static class LineProtocol
{
    /// <summary>Characters a measurement name escapes.</summary>
    internal const string MeasurementSpecials = ", ";

    /// <summary>Characters tag keys, tag values and field keys escape.</summary>
    internal const string KeySpecials = ",= ";

    /// <summary>The point as one line of line protocol without the trailing newline.</summary>
    public static string ToLine(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return point.Data.ToLineProtocol();
    }

    /// <summary>The library's point for a validated measurement, tags, fields and timestamp.</summary>
    internal static PointData ToPointData(
        string measurement, IEnumerable<KeyValuePair<string, string>> tags, IEnumerable<KeyValuePair<string, FieldValue>> fields, long unixNanoseconds)
    {
        var data = PointData.Measurement(measurement);
        foreach (var (key, value) in tags)
        {
            data = data.Tag(key, value);
        }

        foreach (var (key, value) in fields)
        {
            data = value.Kind switch
            {
                FieldKind.Integer => data.Field(key, value.AsInteger),
                FieldKind.Float => data.Field(key, value.AsFloat),
                FieldKind.Boolean => data.Field(key, value.AsBoolean),
                _ => data.Field(key, value.AsString),
            };
        }

        return data.Timestamp(unixNanoseconds, WritePrecision.Ns);
    }
}

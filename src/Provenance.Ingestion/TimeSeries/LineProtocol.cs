using System.Buffers;
using System.Globalization;
using System.Text;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Writes <see cref="Point"/>s as InfluxDB line protocol
/// (<c>measurement,tag=v field=1i,other="s" 1700000000000000000</c>) with the escape set each
/// element needs: the measurement escapes comma and space; tag keys, tag values and field keys
/// escape comma, equals sign and space; string field values escape double quote and backslash and
/// are wrapped in double quotes. Numbers use the invariant culture whatever the current culture;
/// floats use the shortest round-trip form. Timestamps are nanoseconds. Thread-safe (stateless).
/// </summary>
public static class LineProtocol
{
    internal const string MeasurementSpecials = ", ";
    internal const string KeySpecials = ",= ";

    /// <summary>Appends the point as one line, followed by <c>\n</c>.</summary>
    public static void Write(Point point, StringBuilder destination)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(destination);
        Escape(destination, point.Measurement, MeasurementSpecials);
        foreach (var (key, value) in point.Tags)
        {
            destination.Append(',');
            Escape(destination, key, KeySpecials);
            destination.Append('=');
            Escape(destination, value, KeySpecials);
        }

        var separator = ' ';
        foreach (var (key, value) in point.Fields)
        {
            destination.Append(separator);
            separator = ',';
            Escape(destination, key, KeySpecials);
            destination.Append('=');
            AppendValue(destination, value);
        }

        destination.Append(' ')
            .Append(point.UnixNanoseconds.ToString(CultureInfo.InvariantCulture))
            .Append('\n');
    }

    /// <summary>Writes the point as one UTF-8 line, followed by <c>\n</c>.</summary>
    public static void Write(Point point, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var builder = new StringBuilder(128);
        Write(point, builder);
        foreach (var chunk in builder.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, destination);
        }
    }

    /// <summary>The point as one line of line protocol without the trailing newline.</summary>
    public static string ToLine(Point point)
    {
        var builder = new StringBuilder(128);
        Write(point, builder);
        return builder.ToString(0, builder.Length - 1);
    }

    /// <summary>An integer as line protocol writes it: invariant digits and the <c>i</c> suffix.</summary>
    public static string FormatInteger(long value) =>
        value.ToString(CultureInfo.InvariantCulture) + "i";

    /// <summary>A finite float in its shortest round-trip form with the invariant culture.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static string FormatFloat(double value) => double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB line protocol has no NaN or Infinity.");

    private static void AppendValue(StringBuilder destination, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Integer:
                destination.Append(FormatInteger(value.AsInteger));
                break;
            case FieldKind.Float:
                destination.Append(FormatFloat(value.AsFloat));
                break;
            case FieldKind.Boolean:
                destination.Append(value.AsBoolean ? "true" : "false");
                break;
            default:
                destination.Append('"');
                foreach (var c in value.AsString)
                {
                    if (c is '"' or '\\')
                    {
                        destination.Append('\\');
                    }

                    destination.Append(c);
                }

                destination.Append('"');
                break;
        }
    }

    private static void Escape(StringBuilder destination, string text, string specials)
    {
        foreach (var c in text)
        {
            if (specials.Contains(c, StringComparison.Ordinal))
            {
                destination.Append('\\');
            }

            destination.Append(c);
        }
    }
}

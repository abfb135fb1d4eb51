namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Collects the tags and fields of one <see cref="Point"/> and validates them when
/// <see cref="Build(DateTimeOffset)"/> is called. Not thread-safe; use one builder per point.
/// </summary>
/// <remarks>
/// Rejected (with <see cref="ArgumentException"/> naming the element): an empty measurement, a
/// measurement starting with <c>#</c> (a comment line), an empty field set, empty keys, the reserved
/// key <c>time</c>, duplicate keys, empty tag values, control characters (newlines, tabs) in the
/// measurement, keys or tag values, and a backslash at the end of those elements or right before a
/// character that must be escaped there (line protocol cannot represent it). String field values may
/// contain anything.
/// </remarks>
public sealed class PointBuilder
{
    private readonly string measurement;
    private readonly SortedDictionary<string, string> tags = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, FieldValue>> fields = [];
    private readonly HashSet<string> fieldKeys = new(StringComparer.Ordinal);

    internal PointBuilder(string measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        this.measurement = measurement;
    }

    /// <summary>Adds a tag. Tags are indexed and make the series; keep their values few.</summary>
    public PointBuilder Tag(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!tags.TryAdd(key, value))
        {
            throw new ArgumentException($"Tag key '{key}' was added twice.", nameof(key));
        }

        return this;
    }

    /// <summary>Adds an integer field (written as <c>key=42i</c>).</summary>
    public PointBuilder Field(string key, long value) => Add(key, FieldValue.FromInteger(value));

    /// <summary>Adds a float field; NaN and infinities are rejected.</summary>
    public PointBuilder Field(string key, double value) => Add(key, FieldValue.FromFloat(value));

    /// <summary>Adds a boolean field.</summary>
    public PointBuilder Field(string key, bool value) => Add(key, FieldValue.FromBoolean(value));

    /// <summary>Adds a string field.</summary>
    public PointBuilder Field(string key, string value) => Add(key, FieldValue.FromString(value));

    /// <summary>Adds a field of any kind.</summary>
    public PointBuilder Field(string key, FieldValue value) => Add(key, value);

    /// <summary>Validates and returns the point, stored at the event's <paramref name="timestamp"/>.</summary>
    /// <exception cref="ArgumentException">An element is empty or cannot be represented in line protocol.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp is outside InfluxDB's range (years 1677–2262).</exception>
    public Point Build(DateTimeOffset timestamp)
    {
        if (measurement.Length == 0)
        {
            throw new ArgumentException("The measurement name is empty.", nameof(measurement));
        }

        if (measurement[0] == '#')
        {
            throw new ArgumentException($"Measurement '{measurement}' starts with '#', which line protocol reads as a comment.", nameof(measurement));
        }

        CheckElement(measurement, "measurement", LineProtocol.MeasurementSpecials);
        if (fields.Count == 0)
        {
            throw new ArgumentException($"Point '{measurement}' has no fields; InfluxDB needs at least one.", nameof(fields));
        }

        foreach (var (key, value) in tags)
        {
            CheckKey(key, "tag key");
            if (value.Length == 0)
            {
                throw new ArgumentException($"Tag '{key}' has an empty value; leave the tag out instead.", nameof(tags));
            }

            CheckElement(value, $"value of tag '{key}'", LineProtocol.KeySpecials);
        }

        foreach (var (key, _) in fields)
        {
            CheckKey(key, "field key");
        }

        return new Point(measurement, [.. tags], [.. fields], timestamp, ToUnixNanoseconds(timestamp));
    }

    private PointBuilder Add(string key, FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!fieldKeys.Add(key))
        {
            throw new ArgumentException($"Field key '{key}' was added twice.", nameof(key));
        }

        fields.Add(new(key, value));
        return this;
    }

    private static long ToUnixNanoseconds(DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        const long MaxTicks = long.MaxValue / 100 - 1;
        if (ticks is > MaxTicks or < -MaxTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "InfluxDB stores nanoseconds since 1970 in 64 bits: years 1677 to 2262 only.");
        }

        return ticks * 100;
    }

    private static void CheckKey(string key, string what)
    {
        if (key.Length == 0)
        {
            throw new ArgumentException($"A {what} is empty.", nameof(key));
        }

        if (key == "time")
        {
            throw new ArgumentException($"The {what} 'time' is reserved by InfluxDB.", nameof(key));
        }

        CheckElement(key, $"{what} '{key}'", LineProtocol.KeySpecials);
    }

    private static void CheckElement(string text, string what, string specials)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The {what} contains control character U+{(int)c:X4} (newline, tab, ...), which line protocol cannot carry.", nameof(text));
            }

            if (c == '\\' && (i == text.Length - 1 || specials.Contains(text[i + 1], StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The {what} has a backslash at its end or before '{(i == text.Length - 1 ? ' ' : text[i + 1])}', which line protocol cannot represent.", nameof(text));
            }
        }
    }
}

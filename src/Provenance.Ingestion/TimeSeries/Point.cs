namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// One InfluxDB point: a measurement, tags sorted by key (ordinal), at least one field and the
/// event's own timestamp. Because the timestamp comes from the event (never from the ingest
/// clock), writing the same point twice overwrites it instead of duplicating it.
/// Build one with <see cref="Create(string)"/>. Immutable and thread-safe.
/// </summary>
public sealed class Point
{
    internal Point(
        string measurement,
        IReadOnlyList<KeyValuePair<string, string>> tags,
        IReadOnlyList<KeyValuePair<string, FieldValue>> fields,
        DateTimeOffset timestamp,
        long unixNanoseconds)
    {
        Measurement = measurement;
        Tags = tags;
        Fields = fields;
        Timestamp = timestamp;
        UnixNanoseconds = unixNanoseconds;
        Data = LineProtocol.ToPointData(measurement, tags, fields, unixNanoseconds);
    }

    /// <summary>The measurement name.</summary>
    public string Measurement { get; }

    /// <summary>The tags, sorted by key with ordinal comparison (the order InfluxDB recommends).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    /// <summary>The fields in the order they were added; never empty. Line protocol writes them sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<string, FieldValue>> Fields { get; }

    /// <summary>The event time the point is stored under.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The timestamp as nanoseconds since the Unix epoch (what line protocol carries).</summary>
    public long UnixNanoseconds { get; }

    /// <summary>The same point as InfluxDB.Client's <see cref="InfluxDB.Client.Writes.PointData"/>, which writes its line protocol.</summary>
    internal InfluxDB.Client.Writes.PointData Data { get; }

    /// <summary>Starts building a point for <paramref name="measurement"/>.</summary>
    public static PointBuilder Create(string measurement) => new(measurement);

    /// <summary>The point as one line of line protocol, without the trailing newline.</summary>
    public override string ToString() => LineProtocol.ToLine(this);
}

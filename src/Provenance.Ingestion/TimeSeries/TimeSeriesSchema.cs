namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// The points Provenance writes to InfluxDB. Every point is stored at the event's own time, so a
/// replayed journal entry overwrites its earlier copy instead of adding a second one. Thread-safe (stateless).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>measurement</term><description>tags / fields / time</description></listheader>
/// <item><term><c>gnss_fix</c></term><description>tags <c>gateway</c>, <c>site</c>; fields <c>lat</c>, <c>lon</c> (float, degrees WGS 84),
/// <c>alt</c> (float, m), <c>hdop</c> (float), <c>sats</c>, <c>bds_sats</c>, <c>quality</c>, <c>mode</c> (integers),
/// <c>inside_geofence</c> (boolean), <c>distance_m</c> (float, m from the site); optional fields are left out when unknown; time = fix time.</description></item>
/// <item><term><c>seal</c></term><description>tags <c>site</c>, <c>gateway</c>, <c>line</c>, <c>attested</c> (<c>true</c>/<c>false</c>);
/// fields <c>count</c> = 1i, <c>event_id</c>, <c>seal_type</c> (strings); time = sealed-at.</description></item>
/// <item><term><c>scan</c></term><description>tags <c>verdict</c>, <c>gtin</c>; field <c>count</c> = 1i; time = scan time.</description></item>
/// <item><term><c>ingestion</c></term><description>no tags; fields <c>journal_depth</c>, <c>retries</c>, <c>rejects</c> (integers),
/// <c>sink_lag</c> (float, seconds); time = sample time.</description></item>
/// </list>
/// A series is measurement + tag set, and a point is keyed by series + timestamp. The event id is a
/// field, not a tag, to keep series cardinality bounded; the price is that two seals of the same
/// site/gateway/line/attested series with the identical timestamp (DateTimeOffset resolution, 100 ns)
/// would overwrite each other — one line cannot seal twice within 100 ns, so this does not happen in
/// practice. The same holds for two scans of one GTIN with one verdict in the same 100 ns.
/// </remarks>
public static class TimeSeriesSchema
{
    /// <summary>Measurement of GNSS fixes reported by gateways.</summary>
    public const string GnssFixMeasurement = "gnss_fix";

    /// <summary>Measurement of seal events.</summary>
    public const string SealMeasurement = "seal";

    /// <summary>Measurement of consumer scans.</summary>
    public const string ScanMeasurement = "scan";

    /// <summary>Measurement of the ingestion pipeline's own health samples.</summary>
    public const string IngestionMeasurement = "ingestion";

    /// <summary>A gateway's GNSS fix and its geofence check.</summary>
    /// <param name="gatewayId">Gateway id (tag <c>gateway</c>).</param>
    /// <param name="siteId">Site the gateway belongs to (tag <c>site</c>).</param>
    /// <param name="time">Fix time from the gateway.</param>
    /// <param name="latitude">Degrees (field <c>lat</c>).</param>
    /// <param name="longitude">Degrees (field <c>lon</c>).</param>
    /// <param name="altitude">Metres, if known (field <c>alt</c>).</param>
    /// <param name="hdop">Horizontal dilution of precision, if known (field <c>hdop</c>).</param>
    /// <param name="satellitesUsed">Satellites used, if known (field <c>sats</c>).</param>
    /// <param name="beidouSatellitesUsed">BeiDou satellites used, if known (field <c>bds_sats</c>).</param>
    /// <param name="quality">NMEA fix quality, if known (field <c>quality</c>).</param>
    /// <param name="mode">Fix mode as an integer (field <c>mode</c>).</param>
    /// <param name="insideGeofence">Whether the fix is inside the site's geofence (field <c>inside_geofence</c>).</param>
    /// <param name="distanceM">Distance from the site in metres (field <c>distance_m</c>).</param>
    public static Point GnssFix(
        string gatewayId,
        string siteId,
        DateTimeOffset time,
        double latitude,
        double longitude,
        double? altitude,
        double? hdop,
        int? satellitesUsed,
        int? beidouSatellitesUsed,
        int? quality,
        int mode,
        bool insideGeofence,
        double distanceM)
    {
        var builder = Point.Create(GnssFixMeasurement)
            .Tag("gateway", gatewayId)
            .Tag("site", siteId)
            .Field("lat", latitude)
            .Field("lon", longitude);
        if (altitude is { } alt)
        {
            builder.Field("alt", alt);
        }

        if (hdop is { } h)
        {
            builder.Field("hdop", h);
        }

        if (satellitesUsed is { } sats)
        {
            builder.Field("sats", (long)sats);
        }

        if (beidouSatellitesUsed is { } bds)
        {
            builder.Field("bds_sats", (long)bds);
        }

        if (quality is { } q)
        {
            builder.Field("quality", (long)q);
        }

        return builder
            .Field("mode", (long)mode)
            .Field("inside_geofence", insideGeofence)
            .Field("distance_m", distanceM)
            .Build(time);
    }

    /// <summary>A seal applied on a production line.</summary>
    /// <param name="siteId">Site (tag <c>site</c>).</param>
    /// <param name="gatewayId">Gateway that reported it (tag <c>gateway</c>).</param>
    /// <param name="line">Production line (tag <c>line</c>).</param>
    /// <param name="sealedAt">When the seal was applied (the point's time).</param>
    /// <param name="attested">Whether the origin attestation succeeded (tag <c>attested</c>).</param>
    /// <param name="sealType">Seal type (field <c>seal_type</c>).</param>
    /// <param name="eventId">The seal event's id (field <c>event_id</c>).</param>
    public static Point Seal(string siteId, string gatewayId, string line, DateTimeOffset sealedAt, bool attested, string sealType, string eventId) =>
        Point.Create(SealMeasurement)
            .Tag("site", siteId)
            .Tag("gateway", gatewayId)
            .Tag("line", line)
            .Tag("attested", attested ? "true" : "false")
            .Field("count", 1L)
            .Field("event_id", eventId)
            .Field("seal_type", sealType)
            .Build(sealedAt);

    /// <summary>A consumer scan and its verdict.</summary>
    /// <param name="verdict">Scan verdict, e.g. <c>genuine</c> (tag <c>verdict</c>).</param>
    /// <param name="time">When the scan happened.</param>
    /// <param name="gtin">The product's GTIN (tag <c>gtin</c>).</param>
    public static Point Scan(string verdict, DateTimeOffset time, string gtin) =>
        Point.Create(ScanMeasurement)
            .Tag("verdict", verdict)
            .Tag("gtin", gtin)
            .Field("count", 1L)
            .Build(time);

    /// <summary>A health sample of the ingestion pipeline.</summary>
    /// <param name="time">Sample time.</param>
    /// <param name="journalDepth">Journal entries not yet written to the sinks (field <c>journal_depth</c>).</param>
    /// <param name="sinkLag">Age of the oldest unwritten entry (field <c>sink_lag</c>, seconds).</param>
    /// <param name="retries">Retries since the previous sample (field <c>retries</c>).</param>
    /// <param name="rejects">Dead-lettered points since the previous sample (field <c>rejects</c>).</param>
    public static Point IngestionHealth(DateTimeOffset time, long journalDepth, TimeSpan sinkLag, long retries, long rejects) =>
        Point.Create(IngestionMeasurement)
            .Field("journal_depth", journalDepth)
            .Field("sink_lag", sinkLag.TotalSeconds)
            .Field("retries", retries)
            .Field("rejects", rejects)
            .Build(time);
}

using System.Text.Json.Serialization;
using Provenance.Core.Origin;

namespace Provenance.Ingestion.Internal;

/// <summary>The journal body of a fix: what the time-series sink writes.</summary>
internal sealed record FixJournalBody(
    [property: JsonPropertyName("gateway")] string GatewayId,
    [property: JsonPropertyName("site")] string SiteId,
    [property: JsonPropertyName("fix")] GnssFix Fix,
    [property: JsonPropertyName("insideGeofence")] bool InsideGeofence,
    [property: JsonPropertyName("distanceM")] double DistanceMeters);

/// <summary>The journal body of a scan: what the time-series sink writes.</summary>
internal sealed record ScanJournalBody(
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("scannedAt")] DateTimeOffset ScannedAt);

[JsonSerializable(typeof(FixJournalBody))]
[JsonSerializable(typeof(ScanJournalBody))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Provenance.Core.Origin;

/// <summary>
/// One position fix of a gateway's receiver, as ingestion keeps it for origin attestation: time, position,
/// quality figures, and whether the receiver said the fix is simulated (NMEA mode indicator 'S' or GGA quality 8).
/// </summary>
public sealed record GnssFix
{
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("lat")] public required double Latitude { get; init; }
    [JsonPropertyName("lon")] public required double Longitude { get; init; }
    [JsonPropertyName("alt")] public double? AltitudeMeters { get; init; }

    /// <summary>2 (2D) or 3 (3D).</summary>
    [JsonPropertyName("mode")] public required int Mode { get; init; }
    [JsonPropertyName("quality")] public int? Quality { get; init; }
    [JsonPropertyName("hdop")] public double? Hdop { get; init; }
    [JsonPropertyName("sats")] public int? SatellitesUsed { get; init; }
    [JsonPropertyName("bdsSats")] public int? BeiDouSatellitesUsed { get; init; }
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
}

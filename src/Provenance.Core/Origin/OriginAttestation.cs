using System.Text.Json.Serialization;

namespace Provenance.Core.Origin;

/// <summary>
/// The origin attestation of one seal: whether the gateway's receiver placed it inside its site when it sealed,
/// with the figures that decided it. <see cref="Failures"/> is empty exactly when <see cref="Attested"/> is true.
/// </summary>
public sealed record OriginAttestation
{
    [JsonPropertyName("attested")] public required bool Attested { get; init; }
    [JsonPropertyName("failures")] public required IReadOnlyList<string> Failures { get; init; }
    [JsonPropertyName("fixTime")] public DateTimeOffset? FixTime { get; init; }
    [JsonPropertyName("lat")] public double? Latitude { get; init; }
    [JsonPropertyName("lon")] public double? Longitude { get; init; }
    [JsonPropertyName("insideGeofence")] public bool? InsideGeofence { get; init; }
    [JsonPropertyName("distanceM")] public double? DistanceMeters { get; init; }
    [JsonPropertyName("fixAgeS")] public double? FixAgeSeconds { get; init; }
    [JsonPropertyName("hdop")] public double? Hdop { get; init; }
    [JsonPropertyName("sats")] public int? SatellitesUsed { get; init; }
    [JsonPropertyName("bdsSats")] public int? BeiDouSatellitesUsed { get; init; }

    /// <summary>Every failure code, in the order the attestor checks them.</summary>
    public static IReadOnlyList<string> AllCodes { get; } = [.. Enum.GetValues<OriginFailure>().Select(Code)];

    /// <summary>The stable wire code of <paramref name="failure"/>, e.g. <c>stale_fix</c>.</summary>
    public static string Code(OriginFailure failure) => failure switch
    {
        OriginFailure.NoFix => "no_fix",
        OriginFailure.StaleFix => "stale_fix",
        OriginFailure.OutsideGeofence => "outside_geofence",
        OriginFailure.PoorPrecision => "poor_precision",
        OriginFailure.TooFewSatellites => "too_few_satellites",
        OriginFailure.NoBeiDou => "no_beidou",
        OriginFailure.SimulationMode => "simulation_mode",
        OriginFailure.FrozenCoordinates => "frozen_coordinates",
        OriginFailure.ImplausibleJump => "implausible_jump",
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };
}

using Provenance.Core.Origin;

namespace Provenance.Core.Verdicts;

/// <summary>
/// What the engine needs of a seal's origin attestation: whether it was attested, its failure codes, and, when the
/// fix lay outside the plant's geofence, how far beyond its edge (metres). Immutable.
/// </summary>
public sealed record OriginFacts(bool Attested, IReadOnlyList<string> Failures)
{
    /// <summary>Metres beyond the geofence's edge (null when inside or unknown).</summary>
    public double? MetresOutsideGeofence { get; init; }

    /// <summary>The facts of <paramref name="attestation"/>, with the distance beyond the fence measured by the caller.</summary>
    public static OriginFacts From(OriginAttestation attestation, double? metresOutsideGeofence)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return new OriginFacts(attestation.Attested, attestation.Failures) { MetresOutsideGeofence = metresOutsideGeofence };
    }
}

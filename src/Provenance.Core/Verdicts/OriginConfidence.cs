using Provenance.Core.Origin;

namespace Provenance.Core.Verdicts;

/// <summary>How well a bottle's origin is confirmed; wire names are the lower-case member names.</summary>
public enum OriginConfidence
{
    /// <summary>Never sealed, so there is no origin to confirm.</summary>
    None,

    /// <summary>
    /// Not confirmed, and a failure points at the position itself: outside the geofence, a frozen or jumping feed, a
    /// receiver in simulation mode. The producer is alerted.
    /// </summary>
    Low,

    /// <summary>Not confirmed for a benign cause only: no or an old fix (a receiver restart), poor geometry, too few or no BeiDou satellites.</summary>
    Medium,

    /// <summary>Attested: inside the geofence with a fresh, precise, BeiDou-backed, plausible fix.</summary>
    High,
}

/// <summary>Which origin failures are benign (receiver or sky conditions) and which put the position itself in doubt.</summary>
public static class OriginFailureKinds
{
    private static readonly HashSet<string> Benign = new(StringComparer.Ordinal)
    {
        OriginAttestation.Code(OriginFailure.NoFix),
        OriginAttestation.Code(OriginFailure.StaleFix),
        OriginAttestation.Code(OriginFailure.PoorPrecision),
        OriginAttestation.Code(OriginFailure.TooFewSatellites),
        OriginAttestation.Code(OriginFailure.NoBeiDou),
    };

    /// <summary>True for failures that a healthy gateway meets now and then (restart, antenna, sky); false for those that put the position in doubt.</summary>
    public static bool IsBenign(string failureCode) => Benign.Contains(failureCode);

    /// <summary>The confidence an attestation gives.</summary>
    public static OriginConfidence Confidence(OriginFacts? origin) => origin switch
    {
        null => OriginConfidence.None,
        { Attested: true } => OriginConfidence.High,
        _ when origin.Failures.All(IsBenign) => OriginConfidence.Medium,
        _ => OriginConfidence.Low,
    };
}

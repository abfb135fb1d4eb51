namespace Provenance.Core.Origin;

/// <summary>Why an origin could not be attested. The names are stable: they appear in APIs, metrics and the ledger.</summary>
public enum OriginFailure
{
    /// <summary>The gateway has sent no usable fix yet.</summary>
    NoFix,

    /// <summary>The latest fix is older than the policy allows at the time of sealing.</summary>
    StaleFix,

    /// <summary>The fix lies outside the site's geofence.</summary>
    OutsideGeofence,

    /// <summary>Horizontal dilution of precision above the policy limit.</summary>
    PoorPrecision,

    /// <summary>Fewer satellites used than the policy requires.</summary>
    TooFewSatellites,

    /// <summary>Fewer BeiDou satellites used than the policy requires (a receiver that does not track BeiDou, or a GPS-only feed).</summary>
    NoBeiDou,

    /// <summary>The receiver reported a simulated fix (mode indicator S, quality 8).</summary>
    SimulationMode,

    /// <summary>Recent fixes carry bit-identical coordinates: a replayed or frozen feed, not a live receiver.</summary>
    FrozenCoordinates,

    /// <summary>Consecutive fixes imply a speed no bottling line moves at.</summary>
    ImplausibleJump,
}

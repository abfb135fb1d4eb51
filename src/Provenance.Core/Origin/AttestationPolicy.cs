namespace Provenance.Core.Origin;

/// <summary>Thresholds of origin attestation. Plain options class, bound from configuration section <c>Attestation</c>.</summary>
public sealed class AttestationPolicy
{
    public const string Section = "Attestation";

    /// <summary>The newest fix may be at most this old (or this far ahead) when the bottle is sealed.</summary>
    public TimeSpan MaxFixAge { get; set; } = TimeSpan.FromSeconds(30);

    public double MaxHdop { get; set; } = 5.0;

    public int MinSatellitesUsed { get; set; } = 4;

    /// <summary>BeiDou satellites that must be in use (0 turns the check off, e.g. for a plant whose receivers are GPS-only).</summary>
    public int MinBeiDouSatellitesUsed { get; set; } = 1;

    /// <summary>This many consecutive fixes with bit-identical coordinates mean a frozen feed (a live receiver always jitters).</summary>
    public int FrozenFixCount { get; set; } = 5;

    /// <summary>Speed between consecutive fixes above which the position jumped (m/s).</summary>
    public double MaxPlausibleSpeed { get; set; } = 50.0;

    /// <summary>
    /// Distance between consecutive fixes that is never a jump, whatever the time between them: a receiver's position noise
    /// (metres at HDOP 1 are a few, at HDOP 6–9 tens) makes 10 Hz epochs or a restarted receiver look fast over centimetres of
    /// time. Well under any geofence, so a spoofed move to another place still counts.
    /// </summary>
    public double JumpToleranceMeters { get; set; } = 30.0;

    /// <summary>How many recent fixes per gateway are kept for the plausibility checks.</summary>
    public int History { get; set; } = 10;
}

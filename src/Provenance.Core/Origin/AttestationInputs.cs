using System.Text.Json.Serialization;

namespace Provenance.Core.Origin;

/// <summary>
/// What an origin attestation was decided from, besides the site: the times of the gateway's fixes it looked at (oldest
/// first; the fixes themselves are in the gateway's signed GNSS messages) and the thresholds in force. With these, anyone
/// holding the messages can run <see cref="OriginAttestor"/> again and get the same answer. Immutable.
/// </summary>
public sealed record AttestationInputs
{
    [JsonPropertyName("fixTimes")] public required IReadOnlyList<DateTimeOffset> FixTimes { get; init; }
    [JsonPropertyName("maxFixAgeS")] public required double MaxFixAgeSeconds { get; init; }
    [JsonPropertyName("maxHdop")] public required double MaxHdop { get; init; }
    [JsonPropertyName("minSats")] public required int MinSatellitesUsed { get; init; }
    [JsonPropertyName("frozenFixCount")] public required int FrozenFixCount { get; init; }
    [JsonPropertyName("maxSpeedMps")] public required double MaxPlausibleSpeed { get; init; }

    /// <summary>Absent in records written before the tolerance existed; those were decided without one.</summary>
    [JsonPropertyName("jumpToleranceM")] public double? JumpToleranceMeters { get; init; }

    /// <summary>Absent in records written before it was recorded; those were decided with the default of one.</summary>
    [JsonPropertyName("minBeiDouSats")] public int? MinBeiDouSatellitesUsed { get; init; }

    public static AttestationInputs Of(IReadOnlyList<GnssFix> fixes, AttestationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(policy);
        return new AttestationInputs
        {
            FixTimes = [.. fixes.Select(f => f.Time)],
            MaxFixAgeSeconds = policy.MaxFixAge.TotalSeconds,
            MaxHdop = policy.MaxHdop,
            MinSatellitesUsed = policy.MinSatellitesUsed,
            FrozenFixCount = policy.FrozenFixCount,
            MaxPlausibleSpeed = policy.MaxPlausibleSpeed,
            JumpToleranceMeters = policy.JumpToleranceMeters,
            MinBeiDouSatellitesUsed = policy.MinBeiDouSatellitesUsed,
        };
    }

    public AttestationPolicy Policy() => new()
    {
        MaxFixAge = TimeSpan.FromSeconds(MaxFixAgeSeconds),
        MaxHdop = MaxHdop,
        MinSatellitesUsed = MinSatellitesUsed,
        FrozenFixCount = FrozenFixCount,
        MaxPlausibleSpeed = MaxPlausibleSpeed,
        JumpToleranceMeters = JumpToleranceMeters ?? 0,
        MinBeiDouSatellitesUsed = MinBeiDouSatellitesUsed ?? 1,
        History = Math.Max(2, FixTimes.Count),
    };
}

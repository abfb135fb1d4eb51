using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Rewards;

/// <summary>Consumer rewards, configuration section <c>Rewards</c>: where payout instructions go, and when a redemption is held for review.</summary>
public sealed class RewardOptions
{
    public const string Section = "Rewards";

    /// <summary>The producer's payment system: approved redemptions are POSTed here as payout instructions. No URL: no campaign can be created.</summary>
    public string? PayoutUrl { get; set; }

    /// <summary>The HMAC-SHA256 key the receiver verifies <c>X-Provenance-Signature</c> with (at least 16 characters).</summary>
    public string PayoutSecret { get; set; } = string.Empty;

    /// <summary>First retry delay of a payout instruction; doubles each attempt up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-request timeout of a payout instruction.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often pending payouts are looked for when nothing wakes the dispatcher (approvals on another instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A redemption whose risk score reaches this (0–100) is held for review instead of paid.</summary>
    [Range(1, 100)]
    public int HoldScore { get; set; } = 50;

    /// <summary>Redemptions from one device id within an hour before more count as device velocity.</summary>
    [Range(1, 1000)]
    public int DevicePerHour { get; set; } = 3;

    /// <summary>Redemptions from one network (IPv4 /24, IPv6 /64) within an hour before more count as network velocity.</summary>
    [Range(1, 100_000)]
    public int NetworkPerHour { get; set; } = 10;

    /// <summary>Inner codes one user id may redeem within a day (any campaign) before more count as farming.</summary>
    [Range(1, 10_000)]
    public int CodesPerIdentityPerDay { get; set; } = 5;

    /// <summary>Distinct user ids behind one user agent within an hour before the agent counts as shared by a script.</summary>
    [Range(2, 100_000)]
    public int IdentitiesPerUserAgent { get; set; } = 20;
}

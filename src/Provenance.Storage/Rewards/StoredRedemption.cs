namespace Provenance.Storage.Rewards;

/// <summary>
/// One redemption of a bottle's inner code in a campaign: who claimed it (the producer's opaque user id, a device id,
/// the client network, never the raw address), the tier drawn and its amount, the status, the risk score with its
/// reasons (JSON), the review decision, and the payout instruction's delivery.
/// </summary>
public sealed record StoredRedemption(
    string Id,
    string CampaignId,
    string Gtin,
    string Serial,
    string UserId,
    string? DeviceId,
    string? Network,
    string? UserAgent,
    double? Latitude,
    double? Longitude,
    string? Country,
    int? Tier,
    long Amount,
    string Status,
    int Score,
    string ReasonsJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt = null,
    string? DecidedBy = null,
    string? PayoutState = null,
    int PayoutAttempts = 0,
    int? PayoutStatus = null,
    string? PayoutNote = null,
    DateTimeOffset? AcknowledgedAt = null);

/// <summary>The statuses of a redemption.</summary>
public static class RedemptionStatus
{
    /// <summary>Approved (automatically or by review): its payout instruction is (being) sent.</summary>
    public const string Approved = "approved";

    /// <summary>Risk too high: the amount is reserved, nothing is paid until a reviewer approves it.</summary>
    public const string Held = "held";

    /// <summary>Refused by review: never paid; the reserved amount returns to the budget.</summary>
    public const string Rejected = "rejected";

    /// <summary>The draw gave no prize; the code is used all the same (one draw per code).</summary>
    public const string NoPrize = "no_prize";

    public static bool IsValid(string? status) => status is Approved or Held or Rejected or NoPrize;
}

/// <summary>Where a payout instruction is: queued for the webhook, acknowledged (2xx) or refused for good by the receiver.</summary>
public static class PayoutState
{
    public const string Pending = "pending";
    public const string Acknowledged = "acknowledged";
    public const string Refused = "refused";
}

/// <summary>The limits a claim is checked against, inside the claim's transaction. <paramref name="DayStart"/> is the start of today in the campaign's time zone.</summary>
public sealed record ClaimLimits(int? PerPerson, int? PerPersonPerDay, int? PerDay, DateTimeOffset DayStart);

/// <summary>How a claim ended.</summary>
public enum ClaimOutcome
{
    /// <summary>Stored as given (approved, held or no prize).</summary>
    Stored,

    /// <summary>The inner code was redeemed before: <see cref="ClaimResult.Redemption"/> is that redemption.</summary>
    AlreadyRedeemed,

    /// <summary>The amount does not fit in what is left of the budget.</summary>
    BudgetExhausted,

    PersonLimit,
    PersonDayLimit,
    DayLimit,
}

/// <summary>A claim's outcome and the redemption stored (or found) for the code, when there is one.</summary>
public sealed record ClaimResult(ClaimOutcome Outcome, StoredRedemption? Redemption);

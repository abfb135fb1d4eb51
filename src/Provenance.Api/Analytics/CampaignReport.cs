namespace Provenance.Api.Analytics;

/// <summary>Every reward campaign's state for the dashboard: budget use, review queue and redemptions per local day.</summary>
public sealed record CampaignReport(string TimeZone, IReadOnlyList<CampaignState> Campaigns);

/// <summary>
/// One campaign: its budget and how much of it is reserved (approved plus held for review), the amount approved, the
/// redemptions held for review now, the count by status, and per local day the redemptions and those held.
/// </summary>
public sealed record CampaignState(
    string Id, string Name, string Kind, string? Currency, long Budget, long Reserved, long Approved, long HeldForReview,
    IReadOnlyDictionary<string, long> ByStatus, IReadOnlyList<CampaignDay> PerDay, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>Redemptions on one local day, and how many of them were held for review.</summary>
public sealed record CampaignDay(string Day, long Redemptions, long Held);

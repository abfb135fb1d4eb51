namespace Provenance.Storage.Rewards;

/// <summary>
/// A reward campaign as stored: the producer's definition (JSON, owned by the API layer), the budget and how much of it
/// is reserved by redemptions that were approved or are held for review (in the campaign's unit: minor currency units
/// or points), and its time window.
/// </summary>
public sealed record StoredCampaign(string Id, string DefinitionJson, long Budget, long Reserved, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset CreatedAt);

/// <summary>A campaign's redemptions at a glance: how many of each status and the amount approved so far.</summary>
public sealed record CampaignTotals(IReadOnlyDictionary<string, long> ByStatus, long ApprovedAmount, long AcknowledgedPayouts);

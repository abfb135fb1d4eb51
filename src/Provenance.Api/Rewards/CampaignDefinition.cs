using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Api.Distribution;

namespace Provenance.Api.Rewards;

/// <summary>
/// A reward campaign as the producer defines it (<c>POST /api/campaigns</c>) and as it is stored. Amounts are whole
/// numbers in the campaign's unit: minor currency units (fen for CNY) for <c>cash</c>, points for <c>points</c>; the
/// budget is in the same unit. Tiers are drawn by probability (their sum at most 1; the rest is "no prize"); a single
/// tier without a probability is a fixed reward.
/// </summary>
public sealed record CampaignDefinition(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("budget")] long? Budget,
    [property: JsonPropertyName("tiers")] IReadOnlyList<RewardTier>? Tiers,
    [property: JsonPropertyName("limits")] CampaignLimits? Limits,
    [property: JsonPropertyName("region")] RegionDto? Region,
    [property: JsonPropertyName("startsAt")] DateTimeOffset? StartsAt,
    [property: JsonPropertyName("endsAt")] DateTimeOffset? EndsAt,
    [property: JsonPropertyName("gtins")] IReadOnlyList<string>? Gtins,
    [property: JsonPropertyName("lots")] IReadOnlyList<string>? Lots,
    [property: JsonPropertyName("timeZone")] string? TimeZone)
{
    public const string Cash = "cash";
    public const string Points = "points";

    /// <summary>The time zone a campaign's days are counted in when none is given.</summary>
    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>The campaign's sales region, or null when it runs everywhere.</summary>
    [JsonIgnore]
    public bool HasRegion => Region is { } r && ((r.Iso?.Count ?? 0) > 0 || (r.Polygons?.Count ?? 0) > 0);

    /// <summary>True when a bottle of <paramref name="gtin"/>, lot <paramref name="lot"/> takes part.</summary>
    public bool Covers(string gtin, string? lot) =>
        (Gtins ?? []).Contains(gtin, StringComparer.Ordinal) && (Lots is not { Count: > 0 } lots || (lot is not null && lots.Contains(lot, StringComparer.Ordinal)));

    public string ToJson() => JsonSerializer.Serialize(this);

    public static CampaignDefinition FromJson(string json) => JsonSerializer.Deserialize<CampaignDefinition>(json) ?? throw new InvalidDataException("a stored campaign has no definition");
}

/// <summary>One reward: an amount (minor currency units or points), drawn with <see cref="Probability"/>, and an optional label.</summary>
public sealed record RewardTier(
    [property: JsonPropertyName("amount")] long? Amount,
    [property: JsonPropertyName("probability")] double? Probability,
    [property: JsonPropertyName("label")] string? Label = null);

/// <summary>Rewards per person (user id) over the campaign, per person per day, and for everyone per day; days in the campaign's time zone.</summary>
public sealed record CampaignLimits(
    [property: JsonPropertyName("perPerson")] int? PerPerson,
    [property: JsonPropertyName("perPersonPerDay")] int? PerPersonPerDay,
    [property: JsonPropertyName("perDay")] int? PerDay);

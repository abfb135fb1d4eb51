using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>A campaign as the producer API shows it: its definition, the budget's state and its redemptions by status.</summary>
public sealed record CampaignDto(
    [property: JsonPropertyName("definition")] CampaignDefinition Definition,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("budget")] long Budget,
    [property: JsonPropertyName("reserved")] long Reserved,
    [property: JsonPropertyName("remaining")] long Remaining,
    [property: JsonPropertyName("approvedAmount")] long ApprovedAmount,
    [property: JsonPropertyName("acknowledgedPayouts")] long AcknowledgedPayouts,
    [property: JsonPropertyName("redemptions")] IReadOnlyDictionary<string, long> Redemptions,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt)
{
    public static CampaignDto From(StoredCampaign c, CampaignTotals totals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(totals);
        var state = now < c.StartsAt ? "scheduled" : now >= c.EndsAt ? "ended" : c.Reserved >= c.Budget ? "budget_exhausted" : "running";
        return new(CampaignDefinition.FromJson(c.DefinitionJson), state, c.Budget, c.Reserved, c.Budget - c.Reserved, totals.ApprovedAmount, totals.AcknowledgedPayouts, totals.ByStatus, c.CreatedAt);
    }
}

/// <summary>The payout instruction's delivery: pending, acknowledged (the receiver's 2xx, and when) or refused (its status and words).</summary>
public sealed record PayoutDto(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("idempotencyKey")] string IdempotencyKey,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("acknowledgedAt")] DateTimeOffset? AcknowledgedAt);

/// <summary>A redemption as the producer sees it: who, where (coarse), what, the risk score with its reasons, the review and the payout.</summary>
public sealed record RedemptionDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("campaignId")] string CampaignId,
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("deviceId")] string? DeviceId,
    [property: JsonPropertyName("network")] string? Network,
    [property: JsonPropertyName("userAgent")] string? UserAgent,
    [property: JsonPropertyName("lat")] double? Latitude,
    [property: JsonPropertyName("lon")] double? Longitude,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("tier")] int? Tier,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("score")] int Score,
    [property: JsonPropertyName("reasons")] IReadOnlyList<RiskReason> Reasons,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("decidedAt")] DateTimeOffset? DecidedAt,
    [property: JsonPropertyName("decidedBy")] string? DecidedBy,
    [property: JsonPropertyName("payout")] PayoutDto? Payout)
{
    public static RedemptionDto From(StoredRedemption r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var reasons = JsonSerializer.Deserialize<List<RiskReason>>(r.ReasonsJson) ?? [];
        var payout = r.PayoutState is null ? null : new PayoutDto(r.PayoutState, PayoutInstruction.IdempotencyKeyOf(r), r.PayoutAttempts, r.PayoutStatus, r.PayoutNote, r.AcknowledgedAt);
        return new(r.Id, r.CampaignId, r.Gtin, r.Serial, r.UserId, r.DeviceId, r.Network, r.UserAgent, r.Latitude, r.Longitude, r.Country, r.Tier, r.Amount, r.Status,
            r.Score, reasons, r.CreatedAt, r.DecidedAt, r.DecidedBy, payout);
    }
}

/// <summary>A page of a campaign's redemptions.</summary>
public sealed record RedemptionPage([property: JsonPropertyName("items")] IReadOnlyList<RedemptionDto> Items, [property: JsonPropertyName("nextOffset")] int? NextOffset);

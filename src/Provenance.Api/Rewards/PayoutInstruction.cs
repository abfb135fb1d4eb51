using System.Text.Json.Serialization;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>The bottle a reward was redeemed for.</summary>
public sealed record PayoutBottle([property: JsonPropertyName("gtin")] string Gtin, [property: JsonPropertyName("serial")] string Serial);

/// <summary>
/// The body of a payout webhook: what to pay (amount in the campaign's unit: minor currency units, or points), to whom
/// (the producer's own user id and device id), for which redemption. <see cref="IdempotencyKey"/> equals the
/// <c>Idempotency-Key</c> header and never changes across retries: the payment system pays each key once.
/// </summary>
public sealed record PayoutInstruction(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("idempotencyKey")] string IdempotencyKey,
    [property: JsonPropertyName("redemptionId")] string RedemptionId,
    [property: JsonPropertyName("campaignId")] string CampaignId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("deviceId")] string? DeviceId,
    [property: JsonPropertyName("bottle")] PayoutBottle Bottle,
    [property: JsonPropertyName("redeemedAt")] DateTimeOffset RedeemedAt,
    [property: JsonPropertyName("approvedAt")] DateTimeOffset ApprovedAt,
    [property: JsonPropertyName("review")] string Review)
{
    public const string PayoutType = "reward.payout";

    public static PayoutInstruction From(StoredRedemption r, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(campaign);
        return new(PayoutType, IdempotencyKeyOf(r), r.Id, r.CampaignId, campaign.Kind!, r.Amount, campaign.Kind == CampaignDefinition.Cash ? campaign.Currency : null,
            r.UserId, r.DeviceId, new PayoutBottle(r.Gtin, r.Serial), r.CreatedAt, r.DecidedAt ?? r.CreatedAt, r.DecidedBy is null ? "automatic" : "approved_on_review");
    }

    /// <summary>The key the payment system deduplicates on: one per redemption, the same on every attempt.</summary>
    public static string IdempotencyKeyOf(StoredRedemption r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return "redemption-" + r.Id;
    }
}

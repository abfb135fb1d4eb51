using System.Globalization;
using System.Text.Json.Serialization;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>What a consumer is told, in English and Simplified Chinese.</summary>
public sealed record ConsumerMessage([property: JsonPropertyName("en")] string En, [property: JsonPropertyName("zh")] string Zh);

/// <summary>
/// The answer to a redemption: the outcome (<c>awarded</c>, <c>held</c>, <c>no_prize</c>, <c>already_redeemed</c>,
/// <c>rejected</c>, <c>budget_exhausted</c>, <c>limit_reached</c>, <c>not_eligible</c>, <c>invalid_code</c>), a reason for the last
/// three where one applies, the reward, and the message to show. Risk reasons are never in it: they are for the producer.
/// </summary>
public sealed record RedeemAnswer(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("redemptionId")] string? RedemptionId,
    [property: JsonPropertyName("amount")] long? Amount,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("redeemedAt")] DateTimeOffset? RedeemedAt,
    [property: JsonPropertyName("message")] ConsumerMessage Message)
{
    public const string Awarded = "awarded";
    public const string Held = "held";
    public const string NoPrize = "no_prize";
    public const string Rejected = "rejected";
    public const string AlreadyRedeemed = "already_redeemed";
    public const string BudgetExhausted = "budget_exhausted";
    public const string LimitReached = "limit_reached";
    public const string NotEligible = "not_eligible";
    public const string InvalidCode = "invalid_code";

    /// <summary>The one answer for a code that does not verify, is not issued, or is malformed: they are indistinguishable on purpose.</summary>
    public static RedeemAnswer Invalid { get; } = Plain(InvalidCode, null, new(
        "This code could not be verified. Check that you scanned the code printed under the cap.",
        "无法验证此码，请确认扫描的是印在瓶盖内的码。"));

    /// <summary>The answer for the claimant of a stored redemption (the same every time they ask).</summary>
    public static RedeemAnswer For(StoredRedemption r, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(campaign);
        var (en, zh) = Reward(r.Amount, campaign);
        return r.Status switch
        {
            RedemptionStatus.NoPrize => Plain(NoPrize, null, new("Thank you for taking part. This bottle did not win a prize this time.", "感谢参与，本瓶未中奖。")) with { RedemptionId = r.Id, RedeemedAt = r.CreatedAt },
            RedemptionStatus.Rejected => Stored(r, campaign, Rejected, new(
                $"Your reward of {en} was reviewed and cannot be paid. Contact the brand's customer service if you think this is wrong.",
                $"您的{zh}经审核无法发放。如有疑问，请联系品牌客服。")),
            RedemptionStatus.Held => Stored(r, campaign, Held, new(
                $"Your reward of {en} is being checked and will be paid once it is approved.",
                $"您的{zh}正在审核，审核通过后发放。")),
            _ => Stored(r, campaign, Awarded, new(
                campaign.Kind == CampaignDefinition.Points ? $"Congratulations: you earned {en}." : $"Congratulations: you won {en}. It will be paid to your account.",
                campaign.Kind == CampaignDefinition.Points ? $"恭喜您获得{zh}。" : $"恭喜您获得{zh}，将发放到您的账户。")),
        };
    }

    /// <summary>The answer for anyone but the first claimant: the code's reward was claimed, and when (in the campaign's time zone).</summary>
    public static RedeemAnswer Claimed(StoredRedemption first, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(first);
        var local = TimeZoneInfo.ConvertTime(first.CreatedAt, zone);
        var when = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC" + local.ToString("zzz", CultureInfo.InvariantCulture) + ")";
        return Plain(AlreadyRedeemed, null, new(
            $"The reward for this bottle was already claimed on {when}. If you have just opened this bottle, it may not be genuine: contact the brand.",
            $"此瓶的奖励已于 {when} 被领取。如果您刚刚开启此瓶，它可能不是正品，请联系品牌方。")) with { RedeemedAt = first.CreatedAt };
    }

    public static RedeemAnswer Exhausted { get; } = Plain(BudgetExhausted, null, new(
        "All the rewards of this campaign have been given out. Thank you for taking part.",
        "本次活动的奖励已全部发放完毕，感谢参与。"));

    public static RedeemAnswer Limit(ClaimOutcome outcome) => outcome switch
    {
        ClaimOutcome.PersonLimit => Plain(LimitReached, "per_person", new("You have received the most rewards one person can get in this campaign.", "您已达到本活动每人可领取的奖励上限。")),
        ClaimOutcome.PersonDayLimit => Plain(LimitReached, "per_person_per_day", new("You have received today's most rewards for one person. Try again tomorrow.", "您今天领取的奖励已达上限，请明天再试。")),
        _ => Plain(LimitReached, "per_day", new("Today's rewards have all been given out. Try again tomorrow.", "今日奖励已全部发放，请明天再试。")),
    };

    public static RedeemAnswer NoCampaign { get; } = Plain(NotEligible, "no_campaign", new(
        "There is no reward campaign for this bottle right now.", "此产品目前没有进行中的扫码领奖活动。"));

    public static RedeemAnswer OutsideRegion { get; } = Plain(NotEligible, "outside_region", new(
        "This campaign is not available where you are.", "您所在的地区不参加本次活动。"));

    public static RedeemAnswer LocationNeeded { get; } = Plain(NotEligible, "location_needed", new(
        "This campaign is regional: allow location access and try again.", "本活动仅限部分地区参加，请允许获取位置后重试。"));

    private static RedeemAnswer Plain(string outcome, string? reason, ConsumerMessage message) => new(outcome, reason, null, null, null, null, null, message);

    private static RedeemAnswer Stored(StoredRedemption r, CampaignDefinition campaign, string outcome, ConsumerMessage message) =>
        new(outcome, null, r.Id, r.Amount, campaign.Kind == CampaignDefinition.Cash ? campaign.Currency : null,
            campaign.Kind == CampaignDefinition.Cash ? "minor" : CampaignDefinition.Points, r.CreatedAt, message);

    /// <summary>The reward in words: "¥1.88" / "1.88 元红包" for CNY, "50 points" / "50 积分" for points.</summary>
    private static (string En, string Zh) Reward(long amount, CampaignDefinition campaign)
    {
        if (campaign.Kind == CampaignDefinition.Points)
        {
            return (string.Create(CultureInfo.InvariantCulture, $"{amount} points"), string.Create(CultureInfo.InvariantCulture, $" {amount} 积分"));
        }

        var major = (amount / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        return campaign.Currency == "CNY" ? ($"¥{major}", $" {major} 元红包") : ($"{major} {campaign.Currency}", $" {major} {campaign.Currency} 奖励");
    }
}

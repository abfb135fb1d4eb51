using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>What a redemption's risk reasons say about the bottle's way through trade, and the per-person limit.</summary>
[Collection(RewardCollection.Name)]
public sealed class RiskAndLimitTests(RewardNode n)
{
    private const string Phone = "Mozilla/5.0 (Linux; Android 14; HUAWEI P60) AppleWebKit/537.36 MicroMessenger/8.0.49";

    private static readonly object Guangdong = new { polygons = new[] { new[] { new[] { 20.2, 109.6 }, new[] { 20.2, 117.3 }, new[] { 25.5, 117.3 }, new[] { 25.5, 109.6 } } } };

    [Fact]
    public async Task A_bottle_received_in_trade_is_past_sell_through_and_redeeming_it_far_from_its_region_is_a_reason_but_not_a_hold_on_its_own()
    {
        await n.MiscCampaignAsync();
        var created = await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/distributors", n.ProducerKey, new { id = "gd-rewards", name = "GD", country = "CN", region = Guangdong });
        var distributorKey = created.GetProperty("apiKey").GetString()!;
        var (sold, unsold) = (4, 5);
        await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/shipments", n.ProducerKey, new { distributorId = "gd-rewards", tags = new[] { n.Lots["M1"].Outer[sold] } });
        using (var receipt = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/receipts?lat=23.1291&lon=113.2644", distributorKey, content: new StringContent(n.Lots["M1"].Outer[sold])))
        {
            Assert.True(receipt.IsSuccessStatusCode, await receipt.Content.ReadAsStringAsync());
        }

        await ApiCalls.WaitForScansAsync(n.Node, n.ProducerKey, n.Lots["M1"].Outer[sold], 1);

        var inChengdu = await n.RedeemAsync(n.Lots["M1"].Inner[sold], "heidi", "heidi-phone", n.NextClient(), Phone, lat: 30.5728, lon: 104.0668);
        var neverShipped = await n.RedeemAsync(n.Lots["M1"].Inner[unsold], "ivan", "ivan-phone", n.NextClient(), Phone);

        Assert.Equal("awarded", inChengdu.Answer.GetProperty("outcome").GetString());
        var farAway = await ReasonsAsync(inChengdu.Answer);
        Assert.Contains("far_from_region", farAway.Keys);
        Assert.Contains("gd-rewards", farAway["far_from_region"], StringComparison.Ordinal);
        Assert.DoesNotContain("before_sell_through", farAway.Keys);
        var early = await ReasonsAsync(neverShipped.Answer);
        Assert.Contains("never shipped", early["before_sell_through"], StringComparison.Ordinal);
        Assert.DoesNotContain("far_from_region", early.Keys);
    }

    [Fact]
    public async Task A_person_at_the_campaigns_limit_is_told_so_and_the_code_stays_unused_for_someone_else()
    {
        await n.MiscCampaignAsync();
        var codes = n.Lots["M1"].Inner;

        var first = await n.RedeemAsync(codes[6], "judy", "judy-phone", n.NextClient(), Phone);
        var second = await n.RedeemAsync(codes[7], "judy", "judy-phone", n.NextClient(), Phone);
        var third = await n.RedeemAsync(codes[8], "judy", "judy-phone", n.NextClient(), Phone);
        var someoneElse = await n.RedeemAsync(codes[8], "mike", "mike-phone", n.NextClient(), Phone);

        Assert.Equal("awarded", first.Answer.GetProperty("outcome").GetString());
        Assert.Equal("awarded", second.Answer.GetProperty("outcome").GetString());
        Assert.Equal("limit_reached", third.Answer.GetProperty("outcome").GetString());
        Assert.Equal("per_person", third.Answer.GetProperty("reason").GetString());
        Assert.Contains("上限", third.Answer.GetProperty("message").GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal("awarded", someoneElse.Answer.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_regional_campaign_refuses_claims_from_outside_its_region_or_without_a_location_and_leaves_the_code_unused()
    {
        await n.MiscCampaignAsync();
        await n.CreateCampaignAsync("gd-only", "M1", budget: 1_000, tiers: new[] { new { amount = 66 } }, region: Guangdong);
        var code = n.Lots["M1"].Inner[11];

        var chengdu = await n.RedeemAsync(code, "quinn", "quinn-phone", n.NextClient(), Phone, lat: 30.5728, lon: 104.0668, campaignId: "gd-only");
        var nowhere = await n.RedeemAsync(code, "quinn", "quinn-phone", n.NextClient(), Phone, campaignId: "gd-only");
        var guangzhou = await n.RedeemAsync(code, "quinn", "quinn-phone", n.NextClient(), Phone, lat: 23.1291, lon: 113.2644, campaignId: "gd-only");

        Assert.Equal(("not_eligible", "outside_region"), (chengdu.Answer.GetProperty("outcome").GetString(), chengdu.Answer.GetProperty("reason").GetString()));
        Assert.Equal(("not_eligible", "location_needed"), (nowhere.Answer.GetProperty("outcome").GetString(), nowhere.Answer.GetProperty("reason").GetString()));
        Assert.Contains("地区", chengdu.Answer.GetProperty("message").GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal("awarded", guangzhou.Answer.GetProperty("outcome").GetString());
        Assert.Equal(66, guangzhou.Answer.GetProperty("amount").GetInt64());
    }

    private async Task<Dictionary<string, string>> ReasonsAsync(JsonElement answer)
    {
        var redemption = await n.GetAsync($"/api/campaigns/{RewardNode.MiscCampaign}/redemptions/{answer.GetProperty("redemptionId").GetString()}");
        return redemption.GetProperty("reasons").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, r => r.GetProperty("detail").GetString()!);
    }
}

using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>
/// Acceptance (1), a farmed batch: 500 harvested inner codes redeemed by one script rotating 200 client addresses
/// within an hour are all held for review and pay nothing; a reviewer's approval pays exactly one instruction, a
/// rejection pays none.
/// </summary>
[Collection(RewardCollection.Name)]
public sealed class FarmingTests(RewardNode n)
{
    private const string ScriptAgent = "python-requests/2.32.3";

    [Fact]
    public async Task Five_hundred_inner_codes_redeemed_by_one_script_over_200_addresses_are_all_held_and_only_an_approved_one_is_paid()
    {
        var campaign = await n.CreateCampaignAsync("farm-watch", "F1", budget: RewardNode.Farmed * 188, tiers: new[] { new { amount = 188 } });
        var codes = n.Lots["F1"].Inner;
        var addresses = Enumerable.Range(0, 200).Select(i => $"100.64.{i % 20}.{(i / 20) + 1}").ToList();

        var answers = new (int Status, JsonElement Answer)[codes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, codes.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (j, _) =>
            answers[j] = await n.RedeemAsync(codes[j], $"farm-user-{j % 25}", $"farm-device-{j % 50}", addresses[j % addresses.Count], ScriptAgent));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal("held", a.Answer.GetProperty("outcome").GetString()));
        Assert.All(answers, a => Assert.False(string.IsNullOrEmpty(a.Answer.GetProperty("message").GetProperty("zh").GetString())));
        var state = await n.GetAsync($"/api/campaigns/{campaign}");
        Assert.Equal(RewardNode.Farmed, state.GetProperty("redemptions").GetProperty("held").GetInt32());
        Assert.False(state.GetProperty("redemptions").TryGetProperty("approved", out _));
        Assert.Equal(0, state.GetProperty("approvedAmount").GetInt64());

        var held = await AllHeldAsync(campaign);
        Assert.Equal(RewardNode.Farmed, held.Count);
        var reasons = held.SelectMany(r => r.GetProperty("reasons").EnumerateArray().Select(x => x.GetProperty("code").GetString())).ToHashSet();
        foreach (var expected in new[] { "scripted_client", "before_sell_through", "network_velocity", "device_velocity", "many_codes_one_identity", "shared_user_agent" })
        {
            Assert.Contains(expected, reasons);
        }

        Assert.All(held, r => Assert.True(r.GetProperty("score").GetInt32() >= 50));
        Assert.All(held, r => Assert.Null(r.GetProperty("payout").GetString()));

        var (approved, rejected, approvedLater) = (Id(held[10]), Id(held[20]), Id(held[30]));
        var decision = await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, $"/api/campaigns/{campaign}/redemptions/{approved}/approve", n.ProducerKey);
        Assert.Equal("approved", decision.GetProperty("status").GetString());
        var paid = Assert.Single(await n.Payouts.WaitForAcknowledgedAsync(approved));
        Assert.True(paid.SignatureValid, "the payout's signature does not verify");
        Assert.Equal($"redemption-{approved}", paid.IdempotencyKey);
        Assert.Equal(paid.IdempotencyKey, paid.Body.GetProperty("idempotencyKey").GetString());
        Assert.Equal(188, paid.Body.GetProperty("amount").GetInt64());
        Assert.Equal("CNY", paid.Body.GetProperty("currency").GetString());
        Assert.Equal("approved_on_review", paid.Body.GetProperty("review").GetString());
        Assert.Equal(approved, Assert.Single(Farm(campaign)).RedemptionId);

        var refusal = await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, $"/api/campaigns/{campaign}/redemptions/{rejected}/reject", n.ProducerKey);
        Assert.Equal("rejected", refusal.GetProperty("status").GetString());
        using (var again = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, $"/api/campaigns/{campaign}/redemptions/{rejected}/approve", n.ProducerKey))
        {
            Assert.Equal(409, (int)again.StatusCode);
        }

        // Payouts go out in approval order: once a later approval's payout is in, a payout for the rejection would have been too.
        await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, $"/api/campaigns/{campaign}/redemptions/{approvedLater}/approve", n.ProducerKey);
        await n.Payouts.WaitForAcknowledgedAsync(approvedLater);
        Assert.Equal(new[] { approved, approvedLater }.Order(), Farm(campaign).Select(p => p.RedemptionId).Order());
        var after = await n.GetAsync($"/api/campaigns/{campaign}");
        Assert.Equal((RewardNode.Farmed - 1) * 188, after.GetProperty("reserved").GetInt64());
        Assert.Equal(2 * 188, after.GetProperty("approvedAmount").GetInt64());
        var acknowledged = await n.GetAsync($"/api/campaigns/{campaign}/redemptions/{approved}");
        Assert.Equal("acknowledged", acknowledged.GetProperty("payout").GetProperty("state").GetString());
    }

    private List<ReceivedPayout> Farm(string campaign) => [.. n.Payouts.Received.Where(p => p.CampaignId == campaign)];

    private static string Id(JsonElement redemption) => redemption.GetProperty("id").GetString()!;

    private async Task<List<JsonElement>> AllHeldAsync(string campaign)
    {
        var all = new List<JsonElement>();
        int? offset = 0;
        while (offset is { } o)
        {
            var page = await n.GetAsync($"/api/campaigns/{campaign}/redemptions?status=held&limit=200&offset={o}");
            all.AddRange(page.GetProperty("items").EnumerateArray());
            offset = page.GetProperty("nextOffset").ValueKind == JsonValueKind.Number ? page.GetProperty("nextOffset").GetInt32() : null;
        }

        return all;
    }
}

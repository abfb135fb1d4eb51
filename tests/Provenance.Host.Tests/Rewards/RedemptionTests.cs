using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>Redeeming one bottle's inner code: idempotent for its claimant, a refill signal when someone else claims it again, and no enumeration.</summary>
[Collection(RewardCollection.Name)]
public sealed class RedemptionTests(RewardNode n)
{
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50";

    [Fact]
    public async Task Asking_again_for_the_same_inner_code_gets_the_same_answer_opens_the_bottle_and_makes_one_payout_whose_key_survives_a_retry()
    {
        await CampaignAsync();
        var code = n.Lots["M1"].Inner[0];

        var first = await n.RedeemAsync(code, "flaky-alice", "alice-phone", n.NextClient(), Phone);
        var again = await n.RedeemAsync(code, "flaky-alice", "alice-phone", n.NextClient(), Phone);

        Assert.Equal("awarded", first.Answer.GetProperty("outcome").GetString());
        Assert.Equal(88, first.Answer.GetProperty("amount").GetInt64());
        Assert.Contains("¥0.88", first.Answer.GetProperty("message").GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Contains("0.88 元红包", first.Answer.GetProperty("message").GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.Answer.GetRawText(), again.Answer.GetRawText());
        var outer = await ApiCalls.ScanAsync(n.Node, n.Lots["M1"].Outer[0], n.NextClient());
        Assert.Equal("opened", outer.GetProperty("verdict").GetString());
        Assert.Contains("inner_code_scanned", ApiCalls.Reasons(outer));
        var id = first.Answer.GetProperty("redemptionId").GetString()!;
        var attempts = await n.Payouts.WaitForAcknowledgedAsync(id);
        Assert.Equal([503, 200], attempts.Select(a => a.Answered));
        Assert.All(attempts, a => Assert.Equal($"redemption-{id}", a.IdempotencyKey));
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
        Assert.Equal(attempts[0].Body.GetRawText(), attempts[1].Body.GetRawText());
        var payout = await WaitForPayoutStateAsync(id, "acknowledged");
        Assert.Equal(200, payout.GetProperty("status").GetInt32());
        Assert.Equal(2, payout.GetProperty("attempts").GetInt32());
        Assert.Equal(88, (await n.GetAsync("/api/campaigns/misc")).GetProperty("reserved").GetInt64() - await OthersReservedAsync(id));
    }

    [Fact]
    public async Task A_payout_the_payment_system_refuses_for_good_is_recorded_as_refused_with_its_words_and_later_payouts_still_go_out()
    {
        await CampaignAsync();
        var refused = await n.RedeemAsync(n.Lots["M1"].Inner[9], "refuse-oscar", "oscar-phone", n.NextClient(), Phone);
        var later = await n.RedeemAsync(n.Lots["M1"].Inner[10], "peggy", "peggy-phone", n.NextClient(), Phone);
        var refusedId = refused.Answer.GetProperty("redemptionId").GetString()!;

        Assert.Single(await n.Payouts.WaitForAcknowledgedAsync(refusedId, status: 422));
        await n.Payouts.WaitForAcknowledgedAsync(later.Answer.GetProperty("redemptionId").GetString()!);
        var payout = await WaitForPayoutStateAsync(refusedId, "refused");
        Assert.Equal(422, payout.GetProperty("status").GetInt32());
        Assert.Contains("no such wallet", payout.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, payout.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task A_second_claim_of_a_redeemed_inner_code_by_someone_else_is_refused_and_raises_suspect_refill()
    {
        await CampaignAsync();
        var code = n.Lots["M1"].Inner[1];
        var serial = DigitalLink.Parse(code).Serial;

        var first = await n.RedeemAsync(code, "bob", "bob-phone", n.NextClient(), Phone);
        var second = await n.RedeemAsync(code, "carol", "carol-phone", "203.0.113.40", Phone);

        Assert.Equal("awarded", first.Answer.GetProperty("outcome").GetString());
        Assert.Equal("already_redeemed", second.Answer.GetProperty("outcome").GetString());
        Assert.False(second.Answer.TryGetProperty("amount", out var amount) && amount.ValueKind != JsonValueKind.Null);
        Assert.Contains("已于", second.Answer.GetProperty("message").GetProperty("zh").GetString(), StringComparison.Ordinal);
        var alerts = (await n.GetAsync("/api/alerts?kind=suspect_refill&limit=1000")).GetProperty("items").EnumerateArray().Where(a => a.GetProperty("serial").GetString() == serial).ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal("reward_claimed_again", alert.GetProperty("detail").GetProperty("reasons")[0].GetString());
        Assert.Equal(first.Answer.GetProperty("redemptionId").GetString(), alert.GetProperty("detail").GetProperty("redemptionId").GetString());
        Assert.Equal("203.0.113.0/24", alert.GetProperty("detail").GetProperty("claimant").GetProperty("network").GetString());
        var stored = await n.GetAsync($"/api/campaigns/misc/redemptions/{first.Answer.GetProperty("redemptionId").GetString()}");
        Assert.Equal("bob", stored.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_forged_inner_code_a_never_issued_one_and_an_outer_code_all_get_the_answer_of_an_unknown_code()
    {
        await CampaignAsync();
        var genuine = n.Lots["M1"].Inner[2];
        var forged = Forge(genuine);
        var neverIssued = new InnerCodeAuthenticator(n.Keys).Sign(DigitalLink.ForTag(n.Node.Authority, Gtin.Parse(ProvenanceNode.Gtin), "NEVERISSUED78", "M1", "http"));
        var outer = n.Lots["M1"].Outer[2];

        var answers = new List<string>();
        foreach (var code in new[] { forged, neverIssued, outer, "https://example.com/not-a-code" })
        {
            var (status, answer) = await n.RedeemAsync(code, "mallory", "mallory-phone", n.NextClient(), Phone);
            Assert.Equal(200, status);
            answers.Add(answer.GetRawText());
        }

        Assert.Equal("invalid_code", JsonNode.Parse(answers[0])!["outcome"]!.GetValue<string>());
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal("awarded", (await n.RedeemAsync(genuine, "dave", "dave-phone", n.NextClient(), Phone)).Answer.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_claim_without_a_user_id_is_refused_with_a_400_naming_the_field_and_uses_nothing()
    {
        await CampaignAsync();
        var code = n.Lots["M1"].Inner[3];

        var (status, answer) = await n.RedeemAsync(code, "", null, n.NextClient(), Phone);

        Assert.Equal(400, status);
        Assert.True(answer.GetProperty("errors").TryGetProperty("userId", out _));
        Assert.Equal("awarded", (await n.RedeemAsync(code, "erin", "erin-phone", n.NextClient(), Phone)).Answer.GetProperty("outcome").GetString());
    }

    private Task CampaignAsync() => n.MiscCampaignAsync();

    private async Task<long> OthersReservedAsync(string id)
    {
        var items = (await n.GetAsync("/api/campaigns/misc/redemptions?limit=1000")).GetProperty("items").EnumerateArray();
        return items.Where(r => r.GetProperty("id").GetString() != id && r.GetProperty("status").GetString() is "approved" or "held").Sum(r => r.GetProperty("amount").GetInt64());
    }

    private async Task<JsonElement> WaitForPayoutStateAsync(string id, string state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var payout = (await n.GetAsync($"/api/campaigns/misc/redemptions/{id}")).GetProperty("payout");
            if (payout.GetProperty("state").GetString() == state)
            {
                return payout;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static string Forge(string url) => ForgedCode.WithAlteredMac(url);
}

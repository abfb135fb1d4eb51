namespace Provenance.Host.Tests.Rewards;

/// <summary>Acceptance (5): a campaign at its budget with 50 concurrent redemptions is never overspent.</summary>
[Collection(RewardCollection.Name)]
public sealed class BudgetRaceTests(RewardNode n)
{
    [Fact]
    public async Task Fifty_concurrent_redemptions_against_a_budget_for_twenty_award_exactly_twenty_and_tell_the_rest_the_budget_is_exhausted()
    {
        const long Budget = 2_000;
        const long Amount = 100;
        var campaign = await n.CreateCampaignAsync("budget-race", "B1", Budget, tiers: new[] { new { amount = Amount } });
        var codes = n.Lots["B1"].Inner;
        using var start = new ManualResetEventSlim();

        var answers = await Task.WhenAll(Enumerable.Range(0, RewardNode.Raced).Select(i => Task.Run(() =>
        {
            start.Wait();
            return n.RedeemAsync(codes[i], $"shopper-{i}", $"phone-{i}", $"198.18.{i}.20", $"Mozilla/5.0 (Linux; Android 14; Pixel {i}) AppleWebKit/537.36 MicroMessenger/8.0.{i}");
        })).Append(Task.Run(() => { start.Set(); return (0, default(System.Text.Json.JsonElement)); })));

        var outcomes = answers.Where(a => a.Item1 != 0).Select(a => a.Item2.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(RewardNode.Raced, outcomes.Count);
        Assert.Equal((int)(Budget / Amount), outcomes.Count(o => o == "awarded"));
        Assert.Equal(RewardNode.Raced - (int)(Budget / Amount), outcomes.Count(o => o == "budget_exhausted"));
        var exhausted = answers.First(a => a.Item1 != 0 && a.Item2.GetProperty("outcome").GetString() == "budget_exhausted").Item2.GetProperty("message");
        Assert.Contains("given out", exhausted.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Contains("发放完毕", exhausted.GetProperty("zh").GetString(), StringComparison.Ordinal);

        var state = await n.GetAsync($"/api/campaigns/{campaign}");
        Assert.Equal(Budget, state.GetProperty("reserved").GetInt64());
        Assert.Equal(Budget, state.GetProperty("approvedAmount").GetInt64());
        Assert.Equal(0, state.GetProperty("remaining").GetInt64());
        Assert.Equal("budget_exhausted", state.GetProperty("state").GetString());
        var approved = await n.GetAsync($"/api/campaigns/{campaign}/redemptions?status=approved&limit=1000");
        Assert.Equal(Budget, approved.GetProperty("items").EnumerateArray().Sum(r => r.GetProperty("amount").GetInt64()));
    }
}

using System.Globalization;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Rewards;

/// <summary>Issue 22, analytics: a campaign's budget use, review queue and claims per day, through the API and on the dashboard.</summary>
[Collection(RewardCollection.Name)]
public sealed class CampaignAnalyticsTests(RewardNode n, Chromium chromium) : IClassFixture<Chromium>
{
    private const string Campaign = "analytics-view";
    private const long Budget = 1_000, Amount = 100;

    [Fact]
    public async Task The_campaign_state_counts_todays_claims_the_held_ones_and_the_budget_reserved_and_the_dashboard_shows_it()
    {
        await n.CreateCampaignAsync(Campaign, "A1", Budget, tiers: new[] { new { amount = Amount } });
        var outcomes = new List<string>();
        for (var i = 0; i < RewardNode.Analytics; i++)
        {
            var (_, answer) = await n.RedeemAsync(n.Lots["A1"].Inner[i], $"viewer-{i}", $"viewer-phone-{i}", n.NextClient(), $"Mozilla/5.0 (iPhone; CPU iPhone OS 17_{i} like Mac OS X) MicroMessenger/8.0.{i}");
            outcomes.Add(answer.GetProperty("outcome").GetString()!);
        }

        var held = outcomes.Count(o => o == "held");
        var reserving = outcomes.Count(o => o is "awarded" or "held");
        var report = await n.GetAsync("/api/analytics/campaigns?tz=Asia/Shanghai");
        var state = report.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("id").GetString() == Campaign);
        Assert.Equal(Budget, state.GetProperty("budget").GetInt64());
        Assert.Equal(reserving * Amount, state.GetProperty("reserved").GetInt64());
        Assert.Equal(held, state.GetProperty("heldForReview").GetInt64());
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var day = Assert.Single(state.GetProperty("perDay").EnumerateArray());
        Assert.Equal(today, day.GetProperty("day").GetString());
        Assert.Equal(RewardNode.Analytics, day.GetProperty("redemptions").GetInt32());
        Assert.Equal(held, day.GetProperty("held").GetInt32());

        await using var context = await chromium.DesktopAsync("zh-CN", "Asia/Shanghai");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://{n.Node.Authority}/dashboard");
        await page.FillAsync("#key", n.ProducerKey);
        await page.ClickAsync("button[type=submit]");
        var card = page.Locator($"[data-campaign='{Campaign}']");
        await Expect(card.Locator("h3")).ToHaveTextAsync("Campaign " + Campaign, new() { Timeout = 20_000 });
        await Expect(card.Locator(".held")).ToHaveTextAsync($"待审核：{held}");
        await Expect(card.Locator(".today")).ToHaveTextAsync($"今天：领取 {RewardNode.Analytics} 次，待审核 {held} 次");
        await Expect(card.Locator(".used")).ToContainTextAsync(((reserving * Amount) / 100m).ToString("0.00", CultureInfo.InvariantCulture));
        await Expect(card.Locator("meter.budget")).ToHaveAttributeAsync("value", (reserving * Amount).ToString(CultureInfo.InvariantCulture));
        await Chromium.ScreenshotAsync(page, "dashboard-campaigns-zh-CN");
    }
}

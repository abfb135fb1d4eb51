using System.Globalization;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.Browser;

/// <summary>The producer dashboard against a running node fed by the real gateway simulator.</summary>
public sealed class DashboardTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_dashboard_shows_live_seals_per_minute_and_each_gateways_satellites_and_beidou_satellites()
    {
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(25);
        var producerKey = (await node.CliAsync("keys", "create", "--role", "producer")).Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
        await node.StartAsync();
        using (var anonymous = await node.Http.GetAsync("/api/dashboard"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        await using var context = await chromium.DesktopAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://{node.Authority}/dashboard");
        await page.FillAsync("#key", "not-a-key");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await page.FillAsync("#key", producerKey);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#seals-last-hour")).ToHaveTextAsync("0");

        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(node, gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls.Take(20).ToList(), key), TimeSpan.FromSeconds(60));

        await Expect(page.Locator("#seals-last-hour")).ToHaveTextAsync("20", new() { Timeout = 20_000 });
        await Expect(page.Locator(".line[data-line] svg.chart rect")).Not.ToHaveCountAsync(0);
        var card = page.Locator($"[data-gateway='{gateway.GatewayId}']");
        await Expect(card.Locator("dd.sats")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await Expect(card.Locator("dd.bds")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await Expect(card.Locator("dd.inside")).ToContainTextAsync("yes");
        await Expect(card.Locator("dd.distance")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+ m from the plant's centre$"));
        await Expect(page.Locator(".line[data-line='line-1'] .origin-split")).ToHaveAttributeAsync("data-attested", "20");
        await Expect(page.Locator(".line[data-line='line-1'] .origin-split")).ToHaveAttributeAsync("data-unattested", "0");
        await Expect(card.Locator("polyline.series-bdsSats")).ToHaveCountAsync(1);
        Assert.True(int.Parse(await card.Locator("dd.sats").TextContentAsync() ?? "0", CultureInfo.InvariantCulture)
            >= int.Parse(await card.Locator("dd.bds").TextContentAsync() ?? "0", CultureInfo.InvariantCulture));

        // The simulator said goodbye (status "offline") when it finished; while it runs again the gateway is online.
        await Expect(card).ToHaveAttributeAsync("data-status", "offline");
        var running = Simulation.RunGnssOnlyAsync(Simulation.Options(node, gateway, [], key), TimeSpan.FromSeconds(12));
        await Expect(card).ToHaveAttributeAsync("data-status", "online", new() { Timeout = 10_000 });
        await Chromium.ScreenshotAsync(page, "dashboard-desktop");

        await using var phone = await chromium.PhoneAsync("zh-CN");
        var small = await phone.NewPageAsync();
        await small.GotoAsync($"http://{node.Authority}/dashboard");
        await small.FillAsync("#key", producerKey);
        await small.ClickAsync("button[type=submit]");
        await Expect(small.Locator("#seals-last-hour")).ToHaveTextAsync("20");
        await Expect(small.Locator($"[data-gateway='{gateway.GatewayId}'] .status")).ToHaveTextAsync("在线");
        await Chromium.ScreenshotAsync(small, "dashboard-zh-phone");
        await running;
        await Expect(card).ToHaveAttributeAsync("data-status", "offline");
    }
}

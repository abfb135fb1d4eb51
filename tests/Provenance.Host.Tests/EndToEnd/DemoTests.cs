using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// The README's run command with --demo, and its printed instructions replayed as a newcomer would: the scan URLs
/// come back authentic within 30 s, the printed counterfeit URL scans counterfeit, the dashboard opens with the
/// printed demo key, and a progress line counts the bottles.
/// </summary>
public sealed class DemoTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_demo_prints_urls_a_counterfeit_and_a_dashboard_key_that_work_as_printed()
    {
        using var dir = new TempDirectory("prov-demo");
        var httpPort = FreePort.Next();
        var started = Stopwatch.StartNew();
        await using var host = ChildProcess.StartDll(RepositoryPaths.HostDll,
            ["serve", "--demo", "--data", Path.Combine(dir.Path, "data"), "--urls", $"http://127.0.0.1:{httpPort}", $"--Broker:Port={FreePort.Next()}", $"--Management:Url=http://127.0.0.1:{FreePort.Next()}"], dir.Path);

        var line = await host.WaitForLineAsync(l => l.StartsWith("scan: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var url = line["scan: ".Length..].Trim();
        Assert.StartsWith($"http://127.0.0.1:{httpPort}/01/", url, StringComparison.Ordinal);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var verdict = await http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("authentic", verdict.GetProperty("verdict").GetString());
        Assert.Contains("origin_attested", ApiCalls.Reasons(verdict));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"authentic after {started.Elapsed}");

        var genuine = Printed(await host.WaitForLineAsync(l => l.StartsWith("genuine: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
        var counterfeit = Printed(await host.WaitForLineAsync(l => l.StartsWith("counterfeit: ", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
        var dashboard = Printed(await host.WaitForLineAsync(l => l.StartsWith("dashboard: ", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
        var keyLine = await host.WaitForLineAsync(l => l.StartsWith("demo producer key: ", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Contains("demo only", keyLine, StringComparison.Ordinal);
        var key = keyLine["demo producer key: ".Length..].Split(' ')[0];

        Assert.Equal("authentic", (await http.GetFromJsonAsync<JsonElement>(genuine)).GetProperty("verdict").GetString());
        Assert.Equal("counterfeit", (await http.GetFromJsonAsync<JsonElement>(counterfeit)).GetProperty("verdict").GetString());
        Assert.Equal($"http://127.0.0.1:{httpPort}/dashboard", dashboard);

        await using var browser = await chromium.DesktopAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(counterfeit);
        await Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "counterfeit");
        await page.GotoAsync(dashboard);
        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("[data-gateway='demo-gw-1']")).ToBeVisibleAsync();
        await Expect(page.Locator("#seals-last-hour")).Not.ToHaveTextAsync("0");
        await Chromium.ScreenshotAsync(page, "demo-dashboard-desktop");

        var sealedCap = (await host.WaitForLineAsync(l => l.StartsWith("tap (cap sealed): ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))["tap (cap sealed): ".Length..].Trim();
        var openCap = (await host.WaitForLineAsync(l => l.StartsWith("tap (cap open): ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))["tap (cap open): ".Length..].Trim();
        var tap = await http.GetFromJsonAsync<JsonElement>(sealedCap);
        Assert.Equal("authentic", tap.GetProperty("verdict").GetString());
        Assert.Equal("closed", tap.GetProperty("cap").GetProperty("tamper").GetString());
        Assert.Equal("opened", (await http.GetFromJsonAsync<JsonElement>(openCap)).GetProperty("verdict").GetString());

        await host.WaitForLineAsync(l => l == "demo: sealed 100 of 1000 bottles", TimeSpan.FromSeconds(60));
    }

    private static string Printed(string line) => line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ')[0];
}

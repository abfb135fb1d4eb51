using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>The README's run command with --demo: it prints scannable URLs that come back authentic within 30 s.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_prints_scan_urls_that_are_authentic_within_thirty_seconds_and_a_changed_mac_is_counterfeit()
    {
        using var dir = new TempDirectory("prov-demo");
        var httpPort = FreePort.Next();
        var started = Stopwatch.StartNew();
        await using var host = ChildProcess.StartDll(RepositoryPaths.HostDll,
            ["serve", "--demo", "--data", Path.Combine(dir.Path, "data"), "--urls", $"http://127.0.0.1:{httpPort}", $"--Broker:Port={FreePort.Next()}"], dir.Path);

        var line = await host.WaitForLineAsync(l => l.StartsWith("scan: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var url = line["scan: ".Length..].Trim();
        Assert.StartsWith($"http://127.0.0.1:{httpPort}/01/", url, StringComparison.Ordinal);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var verdict = await http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("authentic", verdict.GetProperty("verdict").GetString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"authentic after {started.Elapsed}");

        var mac = url.IndexOf("m=", StringComparison.Ordinal) + 2;
        var altered = url[..mac] + (url[mac] == 'A' ? 'B' : 'A') + url[(mac + 1)..];
        var forged = await http.GetFromJsonAsync<JsonElement>(altered);
        Assert.Equal("counterfeit", forged.GetProperty("verdict").GetString());

        using var page = await new HttpClient().GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-verdict=\"authentic\"", html, StringComparison.Ordinal);

        var sealedCap = (await host.WaitForLineAsync(l => l.StartsWith("tap (cap sealed): ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))["tap (cap sealed): ".Length..].Trim();
        var openCap = (await host.WaitForLineAsync(l => l.StartsWith("tap (cap open): ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))["tap (cap open): ".Length..].Trim();
        var tap = await http.GetFromJsonAsync<JsonElement>(sealedCap);
        Assert.Equal("authentic", tap.GetProperty("verdict").GetString());
        Assert.Equal("closed", tap.GetProperty("cap").GetProperty("tamper").GetString());
        Assert.Equal("opened", (await http.GetFromJsonAsync<JsonElement>(openCap)).GetProperty("verdict").GetString());
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Configuration;

/// <summary>
/// Issue 21 item 2: <c>serve</c> no longer passes its own <c>--urls</c> and <c>--data</c> defaults, which overrode the
/// environment (a container or a systemd env file could not move the scan address or the data). One test per key,
/// each against a real <c>serve</c> process; and the explicit option still wins over the environment.
/// </summary>
public sealed class EnvironmentConfigurationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Urls_from_the_environment_sets_the_scan_address()
    {
        using var dir = new TempDirectory("prov-env-urls");
        var port = FreePort.Next();

        await using var serve = await StartAsync(dir, [], new() { ["urls"] = $"http://127.0.0.1:{port}", ["Provenance__DataDirectory"] = dir.Combine("data") });

        Assert.True(await AnswersAsync(port), $"nothing on urls={port}:\n{serve.Output}");
    }

    [Fact]
    public async Task ASPNETCORE_URLS_from_the_environment_sets_the_scan_address()
    {
        using var dir = new TempDirectory("prov-env-aspnetcore");
        var port = FreePort.Next();

        await using var serve = await StartAsync(dir, [], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Provenance__DataDirectory"] = dir.Combine("data") });

        Assert.True(await AnswersAsync(port), $"nothing on ASPNETCORE_URLS={port}:\n{serve.Output}");
    }

    // The SQLite file is what the setting places.
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public async Task Provenance__DataDirectory_from_the_environment_holds_the_database()
    {
        using var dir = new TempDirectory("prov-env-data");
        var port = FreePort.Next();
        var data = dir.Combine("from-environment");

        await using var serve = await StartAsync(dir, ["--urls", $"http://127.0.0.1:{port}"], new() { ["Provenance__DataDirectory"] = data });

        Assert.True(await AnswersAsync(port), serve.Output);
        Assert.True(File.Exists(Path.Combine(data, "provenance.db")), $"no database in {data}");
        Assert.False(Directory.Exists(dir.Combine("data")), "serve wrote its default ./data although the environment named another directory");
    }

    [Fact]
    public async Task The_urls_option_wins_over_the_environment()
    {
        using var dir = new TempDirectory("prov-env-option");
        var (fromOption, fromEnvironment) = (FreePort.Next(), FreePort.Next());

        await using var serve = await StartAsync(dir, ["--urls", $"http://127.0.0.1:{fromOption}"], new() { ["urls"] = $"http://127.0.0.1:{fromEnvironment}", ["Provenance__DataDirectory"] = dir.Combine("data") });

        Assert.True(await AnswersAsync(fromOption), serve.Output);
        Assert.False(await AnswersAsync(fromEnvironment, once: true));
    }

    [Fact]
    public async Task Tags_issue_signs_with_the_code_keys_of_the_environment_that_serve_verifies_with()
    {
        using var dir = new TempDirectory("prov-env-keys");
        var port = FreePort.Next();
        var env = new Dictionary<string, string>
        {
            ["Provenance__DataDirectory"] = dir.Combine("data"),
            ["Codes__Keys__7"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Codes__CurrentKeyId"] = "7",
        };
        await RunCliAsync(dir, env, "products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "Env Baijiu", "--brand", "Env Distillery");
        await RunCliAsync(dir, env, "tags", "issue", "--gtin", ProvenanceNode.Gtin, "--count", "3", "--out", dir.Combine("labels"), "--domain", $"127.0.0.1:{port}", "--scheme", "http", "--no-images");
        var url = File.ReadLines(Directory.GetFiles(dir.Combine("labels"), "*.csv").Single()).Skip(1).First().Split(',')[0];

        await using (var serve = await StartAsync(dir, ["--urls", $"http://127.0.0.1:{port}"], env))
        {
            var verdict = await VerdictAsync(port, url);
            output.WriteLine($"{url}: {verdict} with the environment's key 7");
            Assert.Contains("k=7", url, StringComparison.Ordinal);
            Assert.NotEqual("counterfeit", verdict);
        }

        await using (var withoutKeys = await StartAsync(dir, ["--urls", $"http://127.0.0.1:{port}"], new() { ["Provenance__DataDirectory"] = dir.Combine("data") }))
        {
            Assert.Equal("counterfeit", await VerdictAsync(port, url));
        }
    }

    [Theory]
    [InlineData("not base64!", "Codes:Keys:1 (environment: Codes__Keys__1): not base64")]
    [InlineData("c2hvcnQ=", "Codes:Keys:1 (environment: Codes__Keys__1): 5 bytes, at least 16 needed")]
    public async Task A_bad_code_key_in_the_environment_stops_serve_and_the_CLI_naming_the_setting(string key, string message)
    {
        using var dir = new TempDirectory("prov-env-badkey");
        var env = new Dictionary<string, string> { ["Provenance__DataDirectory"] = dir.Combine("data"), ["Codes__Keys__1"] = key };

        await using var serve = ChildProcess.StartDll(RepositoryPaths.HostDll, ["serve", "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Broker:Port=0"], dir.Path, env);
        var serveCode = await serve.WaitForExitAsync(TimeSpan.FromMinutes(1));
        await RunCliAsync(dir, env, "products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "x", "--brand", "y");
        await using var cli = ChildProcess.StartDll(RepositoryPaths.HostDll, ["tags", "issue", "--gtin", ProvenanceNode.Gtin, "--count", "1", "--out", dir.Combine("labels"), "--no-images"], dir.Path, env);
        var cliCode = await cli.WaitForExitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"serve {serveCode}: {serve.Output}\ntags issue {cliCode}: {cli.Output}");
        Assert.Equal(2, serveCode);
        Assert.Contains(message, serve.Output, StringComparison.Ordinal);
        Assert.Equal(1, cliCode);
        Assert.Contains(message, cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Output + cli.Output, StringComparison.Ordinal);
    }

    private static async Task<ChildProcess> StartAsync(TempDirectory dir, string[] args, Dictionary<string, string> environment)
    {
        var serve = ChildProcess.StartDll(RepositoryPaths.HostDll, ["serve", "--Broker:Port=0", .. args], dir.Path, environment);
        await serve.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal) || l.Contains("provenance serve:", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        return serve;
    }

    private static async Task RunCliAsync(TempDirectory dir, Dictionary<string, string> environment, params string[] args)
    {
        await using var cli = ChildProcess.StartDll(RepositoryPaths.HostDll, args, dir.Path, environment);
        var code = await cli.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"provenance {string.Join(' ', args)} exited {code}:\n{cli.Output}");
    }

    private static async Task<bool> AnswersAsync(int port, bool once = false)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < (once ? 1 : 50); attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static async Task<string> VerdictAsync(int port, string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString()!;
    }
}

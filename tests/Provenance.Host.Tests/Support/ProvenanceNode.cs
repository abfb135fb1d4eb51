using System.Net.Http.Json;
using System.Text.Json;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// A Provenance node for integration tests: a temp data directory set up through the real CLI verbs, and
/// <c>provenance serve</c> as a child process on free loopback ports. Dispose kills the process and removes the data.
/// </summary>
public sealed class ProvenanceNode : IAsyncDisposable
{
    public const string Gtin = "09506000134352";
    public const string SiteId = "plant-1";
    public const double SiteLat = 27.8611;
    public const double SiteLon = 106.3720;

    private readonly TempDirectory _dir = new("prov-node");

    public ProvenanceNode()
    {
        HttpPort = FreePort.Next();
        MqttPort = FreePort.Next();
        ManagementPort = FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        Management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string DataDirectory => _dir.Combine("data");

    public string WorkDirectory => _dir.Path;

    public int HttpPort { get; }

    public int MqttPort { get; }

    /// <summary>The management listener's port (metrics, health details, OpenAPI).</summary>
    public int ManagementPort { get; }

    public HttpClient Http { get; }

    /// <summary>A client of the management listener.</summary>
    public HttpClient Management { get; }

    public ChildProcess? Host { get; private set; }

    /// <summary>Runs right after <c>serve</c> is started, before it is ready (e.g. to lower its file limit).</summary>
    public Action<ChildProcess>? OnStarted { get; set; }

    /// <summary>Environment for every process of this node, CLI verbs and <c>serve</c> (e.g. a shared database's settings).</summary>
    public IDictionary<string, string>? Environment { get; init; }

    /// <summary>When set, <c>serve</c> runs with this open-file limit (soft and hard).</summary>
    public int? FileLimit { get; init; }

    public string Authority => $"127.0.0.1:{HttpPort}";

    /// <summary>Runs a CLI verb against this node's data directory and returns its stdout; fails the test on a non-zero exit.</summary>
    public Task<string> CliAsync(params string[] args) => RunCliAsync([.. args, "--data", DataDirectory]);

    /// <summary>Runs a CLI verb exactly as given; fails the test on a non-zero exit.</summary>
    public async Task<string> RunCliAsync(params string[] args)
    {
        await using var child = ChildProcess.StartDll(RepositoryPaths.HostDll, args, WorkDirectory, Environment);
        var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"provenance {string.Join(' ', args)} exited {code}:\n{child.Output}");
        return child.Output;
    }

    /// <summary>Site, product and one gateway, set up through the CLI. Returns the gateway's key file and MQTT secret.</summary>
    public async Task<GatewayCredentials> SetUpAsync(string gatewayId = "gw-1")
    {
        await CliAsync("sites", "add", "--id", SiteId, "--name", "Plant One", "--lat", SiteLat.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lon", SiteLon.ToString(System.Globalization.CultureInfo.InvariantCulture), "--radius", "500");
        await CliAsync("products", "add", "--gtin", Gtin, "--name", "Test Baijiu 53%", "--brand", "Provenance Distillery");
        return await AddGatewayAsync(gatewayId);
    }

    public async Task<GatewayCredentials> AddGatewayAsync(string gatewayId, string siteId = SiteId)
    {
        var keys = _dir.Combine("keys");
        await RunCliAsync("gateways", "keygen", "--id", gatewayId, "--out", keys);
        var output = await CliAsync("gateways", "add", "--id", gatewayId, "--site", siteId, "--public-key", Path.Combine(keys, $"{gatewayId}.pub.pem"));
        var secret = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();
        return new GatewayCredentials(gatewayId, siteId, Path.Combine(keys, $"{gatewayId}.key.pem"), secret);
    }

    /// <summary>Issues tags (CSV only) on this node's own scan address and returns the CSV path and the URLs.</summary>
    public async Task<(string CsvPath, IReadOnlyList<string> Urls)> IssueAsync(int count, string lot = "L1")
    {
        var outDir = _dir.Combine("labels", Guid.NewGuid().ToString("N"));
        await CliAsync("tags", "issue", "--gtin", Gtin, "--lot", lot, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", outDir, "--domain", Authority, "--scheme", "http", "--no-images");
        var csv = Directory.GetFiles(outDir, "*.csv").Single();
        var urls = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0]).ToList();
        return (csv, urls);
    }

    public async Task StartAsync(params string[] extra)
    {
        Host = ChildProcess.StartDll(RepositoryPaths.HostDll,
            ["serve", "--data", DataDirectory, "--urls", $"http://127.0.0.1:{HttpPort}", $"--Broker:Port={MqttPort}", $"--Management:Url=http://127.0.0.1:{ManagementPort}", .. Unlimited, .. extra],
            WorkDirectory,
            Environment,
            fileLimit: FileLimit);
        OnStarted?.Invoke(Host);
        await WaitReadyAsync();
    }

    /// <summary>Rate limits out of the way of functional tests (tests of the limits pass their own values after these).</summary>
    public static IReadOnlyList<string> Unlimited { get; } =
    [
        "--Api:PublicScansPerMinute=1000000", "--Api:ScansPerCodePerMinute=1000000", "--Api:ScansPerCodePerClientPerMinute=1000000", "--Api:ApiRequestsPerMinute=1000000",
        "--Api:SignInAttemptsPerMinute=1000000",
    ];

    /// <summary>Trusts X-Forwarded-For from the test itself (loopback), so tests can scan as many clients.</summary>
    public const string TrustLoopbackProxy = "--Api:KnownProxies:0=127.0.0.1";

    public Task WaitReadyAsync() => WaitReadyAsync(Host!, Http);

    /// <summary>Waits until <paramref name="host"/> (a <c>provenance serve</c>) answers /health/ready with success on <paramref name="http"/>'s base address.</summary>
    public static async Task WaitReadyAsync(ChildProcess host, HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(host.HasExited, $"provenance serve exited early:\n{host.Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    public async Task<JsonElement> ScanAsync(string url)
    {
        var uri = new Uri(url);
        using var response = await Http.GetAsync(uri.PathAndQuery);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> HealthAsync() => await Management.GetFromJsonAsync<JsonElement>("/health");

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Http.Dispose();
        Management.Dispose();
        _dir.Dispose();
    }
}

/// <summary>A registered gateway: id, site, private key file and MQTT secret.</summary>
public sealed record GatewayCredentials(string GatewayId, string SiteId, string KeyPath, string Secret);

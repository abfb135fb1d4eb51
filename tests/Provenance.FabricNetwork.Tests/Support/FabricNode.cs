using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Host.Tests.Support;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// <c>provenance serve</c> (child process, set up through the CLI) recording to the real network, with what the tests
/// wait for and check: the Fabric engine's lag and health, the ledger proofs of scanned codes, and its logs.
/// </summary>
public sealed partial class FabricNode(LocalFabricNetwork network) : IAsyncDisposable
{
    public const string Cursor = "ledger-fabric";

    /// <summary>The error log line of an unhealthy readiness check (expected where a test makes readiness fail).</summary>
    public const string UnhealthyCheckLog = "DefaultHealthCheckService[103]";

    public ProvenanceNode Node { get; } = new();

    public GatewayCredentials Gateway { get; private set; } = null!;

    public IReadOnlyList<string> Urls { get; private set; } = [];

    /// <summary>Site, product and a gateway (a unique id: the chain is shared by the run), and <paramref name="codes"/> issued codes.</summary>
    public async Task SetUpAsync(string gatewayPrefix, int codes)
    {
        Gateway = await Node.SetUpAsync($"{gatewayPrefix}-{Guid.NewGuid():N}"[..20]);
        Urls = (await Node.IssueAsync(codes)).Urls;
    }

    /// <summary>Starts serve on the Fabric engine (with or without the admin identity); extra arguments override.</summary>
    public Task StartAsync(bool withAdmin = true, params string[] extra) => Node.StartAsync([.. network.LedgerArguments(withAdmin), "--Ledger:Fabric:StallTimeout=00:10:00", .. extra]);

    /// <summary>Runs the real gateway simulator over MQTT for these codes (all of them by default).</summary>
    public async Task SealAsync(IReadOnlyList<string>? codes = null, double rate = 0)
    {
        using var key = Simulation.LoadKey(Gateway);
        await Simulation.RunAsync(Simulation.Options(Node, Gateway, codes ?? Urls, key) with { Rate = rate }, TimeSpan.FromMinutes(3));
    }

    /// <summary>The /health document.</summary>
    public Task<JsonElement> HealthAsync() => Node.HealthAsync();

    /// <summary>Journal entries the Fabric engine has not recorded yet.</summary>
    public async Task<long> LagAsync() => (await HealthAsync()).GetProperty("journal").GetProperty("lag").GetProperty(Cursor).GetInt64();

    /// <summary>Waits (on /health, no fixed sleep) until the Fabric engine has recorded the whole journal.</summary>
    public async Task WaitForLedgerAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        while (await LagAsync() > 0)
        {
            Assert.False(Node.Host!.HasExited, $"serve exited:\n{Node.Host.Output}");
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Waits until /health/ready answers 503 and returns its reason.</summary>
    public async Task<string> WaitUntilNotReadyAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            using var response = await Node.Http.GetAsync("/health/ready", deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsStringAsync(deadline.Token);
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>The ledger part of a code's scan.</summary>
    public async Task<JsonElement> LedgerOfAsync(string url) => (await Node.ScanAsync(url)).GetProperty("ledger");

    /// <summary>GTIN and serial of an issued code's URL.</summary>
    public static (string Gtin, string Serial) TagOf(string url)
    {
        var match = TagPattern().Match(new Uri(url).AbsolutePath);
        return (match.Groups[1].Value, Uri.UnescapeDataString(match.Groups[2].Value));
    }

    /// <summary>Fails on log lines of level error or critical in serve's output, except those named as expected.</summary>
    public void AssertNoUnexpectedErrors(params string[] expected)
    {
        var errors = Node.Host!.Lines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal))
            .Where(l => !expected.Any(e => l.Contains(e, StringComparison.Ordinal)))
            .ToList();
        Assert.True(errors.Count == 0, "unexpected error logs:\n" + string.Join('\n', errors));
    }

    /// <summary>A counter of the Prometheus scrape, summed over the series whose labels contain <paramref name="label"/>.</summary>
    public async Task<double> MetricAsync(string name, string label)
    {
        var text = await Node.Management.GetStringAsync("/metrics");
        return text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    [GeneratedRegex("/01/([0-9]{14})(?:/10/[^/]+)?/21/([^/?]+)")]
    private static partial Regex TagPattern();
}

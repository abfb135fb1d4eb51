using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.InnerCodes;

/// <summary>
/// A node whose bottles carry paired codes, set up as a producer would: <c>tags issue --inner</c> writes the outer and the
/// inner labels (CSV and QR images each), and the real gateway simulator seals the outer codes over MQTT. Each test uses
/// its own bottle (index into <see cref="Outer"/> and <see cref="Inner"/>, which are in the same order).
/// </summary>
public sealed class InnerCodeNode : IAsyncLifetime
{
    public const int Count = 13;

    private static readonly object Guangdong = new { polygons = new[] { new[] { new[] { 20.2, 109.6 }, new[] { 20.2, 117.3 }, new[] { 25.5, 117.3 }, new[] { 25.5, 109.6 } } } };

    public ProvenanceNode Node { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public string LabelDirectory { get; private set; } = string.Empty;

    public string IssueOutput { get; private set; } = string.Empty;

    public IReadOnlyList<string> Outer { get; private set; } = [];

    public IReadOnlyList<string> Inner { get; private set; } = [];

    public CodeKeyRing Keys { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var gateway = await Node.SetUpAsync();
        LabelDirectory = Path.Combine(Node.WorkDirectory, "labels-paired");
        IssueOutput = await Node.CliAsync("tags", "issue", "--gtin", ProvenanceNode.Gtin, "--lot", "P1", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", LabelDirectory, "--domain", Node.Authority, "--scheme", "http", "--inner");
        Outer = Urls(Directory.GetFiles(LabelDirectory, "batch-*.csv").Single(f => !f.EndsWith("-inner.csv", StringComparison.Ordinal)));
        Inner = Urls(Directory.GetFiles(LabelDirectory, "batch-*-inner.csv").Single());
        Keys = CodeKeyFile.Load(Node.DataDirectory, new CodeOptions());
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy);
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(Node, gateway, Outer, key), TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
    }

    /// <summary>Creates a distributor selling in Guangdong; returns its id and API key.</summary>
    public async Task<(string Id, string Key)> CreateDistributorAsync(string id)
    {
        var created = await ApiCalls.JsonAsync(Node, HttpMethod.Post, "/api/distributors", ProducerKey, new { id, name = id, country = "CN", region = Guangdong });
        return (id, created.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Scans <paramref name="url"/> as a phone would, asking for JSON.</summary>
    public Task<JsonElement> ScanAsync(string url, string client = "198.51.100.1", double? lat = null, double? lon = null) => ApiCalls.ScanAsync(Node, url, client, lat, lon);

    public async Task DisposeAsync() => await Node.DisposeAsync();

    private static List<string> Urls(string csv) => File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0]).ToList();
}

/// <summary>The paired-code test classes share one <see cref="InnerCodeNode"/>.</summary>
[CollectionDefinition(Name)]
public sealed class InnerCodeCollection : ICollectionFixture<InnerCodeNode>
{
    public const string Name = "paired codes";
}

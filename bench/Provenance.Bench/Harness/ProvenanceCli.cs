using System.Security.Cryptography;

namespace Provenance.Bench.Harness;

/// <summary>
/// Drives the <c>provenance</c> CLI verbs to set up a data directory the way an operator would; its state goes where
/// <paramref name="storage"/> says (the data directory's SQLite file by default).
/// </summary>
public sealed class ProvenanceCli(string dataDirectory, NodeStorage? storage = null)
{
    public const string Gtin = "09506000134352";
    public const string SiteId = "plant-1";
    public const double Latitude = 27.8497;
    public const double Longitude = 106.3766;

    public string DataDirectory { get; } = dataDirectory;

    public NodeStorage Storage { get; } = storage ?? NodeStorage.Sqlite;

    public Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunCheckedAsync(RepoPaths.Provenance, [.. args, "--data", DataDirectory], environment: Storage.Environment);

    /// <summary>Registers the site and the product.</summary>
    public async Task AddSiteAndProductAsync()
    {
        await RunAsync("sites", "add", "--id", SiteId, "--name", "Bench plant", "--lat", "27.8497", "--lon", "106.3766", "--radius", "500");
        await RunAsync("products", "add", "--gtin", Gtin, "--name", "Bench baijiu", "--brand", "Bench");
    }

    /// <summary>Creates a key pair with <c>gateways keygen</c>, registers it with <c>gateways add</c> and returns the credentials.</summary>
    public async Task<GatewayCredentials> AddGatewayAsync(string id)
    {
        var keys = Path.Combine(DataDirectory, "gateway-keys");
        await ProcessRunner.RunCheckedAsync(RepoPaths.Provenance, ["gateways", "keygen", "--id", id, "--out", keys]);
        var added = await RunAsync("gateways", "add", "--id", id, "--site", SiteId, "--public-key", Path.Combine(keys, $"{id}.pub.pem"));
        var password = added.StandardOutput.Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();
        var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(keys, $"{id}.key.pem")));
        return new GatewayCredentials(id, key, password);
    }

    /// <summary>Issues <paramref name="count"/> codes (CSV only) and returns their URLs.</summary>
    public async Task<IReadOnlyList<string>> IssueUrlsAsync(int count)
    {
        var output = Path.Combine(DataDirectory, "issued-" + Guid.NewGuid().ToString("N"));
        var result = await RunAsync("tags", "issue", "--gtin", Gtin, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output, "--no-images");
        var csv = result.StandardOutput.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("csv:", StringComparison.Ordinal))["csv:".Length..].Trim();
        return File.ReadLines(csv).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToList();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Host.Composition;
using Provenance.Host.Composition.Settings;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Configuration;

/// <summary>A misspelt setting is reported at start with the name it probably meant, and nothing the product ships is misspelt.</summary>
public sealed partial class UnknownSettingTests
{
    [Fact]
    public void The_shipped_appsettings_and_every_setting_the_deploy_files_set_are_known()
    {
        var root = RepositoryPaths.Root;
        var deployKeys = Directory.EnumerateFiles(Path.Combine(root, "deploy"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".env.example", StringComparison.Ordinal) || f.EndsWith(".service", StringComparison.Ordinal))
            .SelectMany(f => EnvironmentKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "src", "Provenance.Host", "appsettings.json"))
            .AddInMemoryCollection(deployKeys.Select(k => new KeyValuePair<string, string?>(k, "x")))
            .Build();
        var sections = Sections(new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "src", "Provenance.Host", "appsettings.json")).Build());

        var unknown = UnknownSettingFinder.Find(configuration, sections);

        Assert.True(sections.Count >= 15, $"only {sections.Count} settings sections found");
        Assert.True(deployKeys.Count >= 10, $"only {deployKeys.Count} settings found in deploy/: {string.Join(", ", deployKeys)}");
        Assert.True(unknown.Count == 0, "unknown settings shipped: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Misspelt_and_made_up_keys_are_found_with_the_name_they_probably_meant_while_list_and_dictionary_entries_are_data()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Broker:Tls:Enabeld"] = "true",
            ["Ingestion:MaxBatchSize"] = "10",
            ["Api:Frobnicate"] = "1",
            ["Broker:Tls:Enabled"] = "false",
            ["Api:KnownProxies:0"] = "127.0.0.1",
            ["Nfc:Keys:7"] = "AAAAAAAAAAAAAAAAAAAAAA==",
            ["Logging:LogLevel:Anything"] = "Warning",
            ["Unrelated:Section"] = "1",
        }).Build();

        var unknown = UnknownSettingFinder.Find(configuration, Sections(configuration)).ToDictionary(u => u.Path, u => u.ToString());

        Assert.Equal(["Api:Frobnicate", "Broker:Tls:Enabeld", "Ingestion:MaxBatchSize"], unknown.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Broker:Tls:Enabeld (did you mean Broker:Tls:Enabled?)", unknown["Broker:Tls:Enabeld"]);
        Assert.Equal("Ingestion:MaxBatchSize (did you mean Ingestion:MaxBatch?)", unknown["Ingestion:MaxBatchSize"]);
        Assert.Equal("Api:Frobnicate", unknown["Api:Frobnicate"]);
    }

    [Fact]
    public async Task Serve_warns_about_a_misspelt_setting_before_anything_else_goes_wrong()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var dir = new TempDirectory("prov-unknown-setting");
        await using var serve = ChildProcess.StartDll(RepositoryPaths.HostDll,
            ["serve", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}", "--Broker:Port=0", "--Broker:Plaintxt=false"], dir.Path);

        Assert.Equal(1, await serve.WaitForExitAsync(TimeSpan.FromMinutes(1)));

        Assert.Contains(serve.Lines, l => l.Contains("Configuration key Broker:Plaintxt (did you mean Broker:Plaintext?) is not a setting of Provenance", StringComparison.Ordinal));
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<Type>> Sections(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddProvenanceServices(configuration);
        return UnknownSettingFinder.BoundSections(services);
    }

    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9]+(?:__[A-Za-z0-9]+)+)\b")]
    private static partial Regex EnvironmentKey();
}

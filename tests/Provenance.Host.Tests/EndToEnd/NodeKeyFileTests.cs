using System.Security.Cryptography;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// <c>Ledger:NodeKeyFile</c>: the embedded ledger's signing key from a mounted secret (the same file in every instance)
/// instead of <c>node-key.pem</c> in each instance's data directory; a missing file stops the start, naming the setting.
/// </summary>
public sealed class NodeKeyFileTests
{
    [Fact]
    public async Task The_ledger_is_signed_with_the_configured_key_file_and_none_is_created_in_the_data_directory()
    {
        using var secrets = new TempDirectory("prov-node-key");
        var keyFile = secrets.Combine("node-key.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        }

        await using var node = new ProvenanceNode { Environment = new Dictionary<string, string> { ["Ledger__NodeKeyFile"] = keyFile } };
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(6);
        await node.StartAsync();
        using (var key = Simulation.LoadKey(gateway))
        {
            await Simulation.RunAsync(Simulation.Options(node, gateway, urls, key) with { GnssInterval = TimeSpan.Zero }, TimeSpan.FromSeconds(60));
        }

        await SealToVerdictTests.WaitForLedgerAsync(node);

        Assert.False(File.Exists(Path.Combine(node.DataDirectory, "node-key.pem")), "a node key was created in the data directory");
        var verified = await node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact: 6 entries", verified, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", verified, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_key_file_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        using var dir = new TempDirectory("prov-node-key-missing");
        await using var serve = ChildProcess.StartDll(
            RepositoryPaths.HostDll,
            ["serve", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Management:Url=http://127.0.0.1:{FreePort.Next()}", $"--Broker:Port={FreePort.Next()}", $"--Ledger:NodeKeyFile={dir.Combine("missing.pem")}"],
            dir.Path);

        var code = await serve.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, code);
        Assert.Contains("Ledger:NodeKeyFile names", serve.Output, StringComparison.Ordinal);
        Assert.Contains("does not exist", serve.Output, StringComparison.Ordinal);
    }
}

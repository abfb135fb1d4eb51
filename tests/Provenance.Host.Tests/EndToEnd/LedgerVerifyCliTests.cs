using Microsoft.Data.Sqlite;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// <c>provenance ledger verify</c> on copies of a real node's database: intact passes; modified, removed and re-ordered
/// entries fail, naming the entry; the node key comes from outside the database, and trusting the recorded one warns.
/// </summary>
// Tampers with copies of the SQLite file.
[Trait("Storage", TestStorage.SqliteOnly)]
public sealed class LedgerVerifyCliTests
{
    [Fact]
    public async Task Verify_passes_on_the_original_and_names_the_entry_in_a_modified_a_truncated_and_a_reordered_copy()
    {
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(12);
        await node.StartAsync();
        using (var key = Simulation.LoadKey(gateway))
        {
            await Simulation.RunAsync(Simulation.Options(node, gateway, urls, key) with { Batch = 3 }, TimeSpan.FromSeconds(60));
        }

        await SealToVerdictTests.WaitForLedgerAsync(node);
        await node.Host!.TerminateAsync(TimeSpan.FromSeconds(30));
        var original = Path.Combine(node.DataDirectory, "provenance.db");

        Assert.Contains("ledger intact: 12 entries", await node.CliAsync("ledger", "verify"), StringComparison.Ordinal);
        var publicKey = Path.Combine(node.WorkDirectory, "node.pub.pem");
        using (var nodeKey = System.Security.Cryptography.ECDsa.Create())
        {
            nodeKey.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "node-key.pem")));
            await File.WriteAllTextAsync(publicKey, nodeKey.ExportSubjectPublicKeyInfoPem());
        }

        var elsewhere = Directory.CreateDirectory(Path.Combine(node.WorkDirectory, "auditor")).FullName;
        var audited = await node.RunCliAsync("ledger", "verify", "--db", original, "--data", elsewhere, "--node-public-key", publicKey);
        Assert.Contains("ledger intact: 12 entries", audited, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", audited, StringComparison.Ordinal);
        var trusting = await node.RunCliAsync("ledger", "verify", "--db", original, "--data", elsewhere);
        Assert.Contains("warning: no --node-public-key given", trusting, StringComparison.Ordinal);
        Assert.Contains("as recorded in the database", trusting, StringComparison.Ordinal);

        var modified = Copy(original, node, "modified", "UPDATE ledger SET record_json = replace(record_json, 'capsule', 'cork') WHERE idx = 4");
        var removed = Copy(original, node, "removed", "DELETE FROM ledger WHERE idx = 7");
        var reordered = Copy(original, node, "reordered", "UPDATE ledger SET idx = -1 WHERE idx = 2; UPDATE ledger SET idx = 2 WHERE idx = 3; UPDATE ledger SET idx = 3 WHERE idx = -1;");

        Assert.Contains("entry 4: modified", await VerifyFailsAsync(node, modified), StringComparison.Ordinal);
        Assert.Contains("entry 7: missing", await VerifyFailsAsync(node, removed), StringComparison.Ordinal);
        Assert.Matches("entry [23]: (chain_broken|modified)", await VerifyFailsAsync(node, reordered));
    }

    private static string Copy(string original, ProvenanceNode node, string name, string tamper)
    {
        var path = Path.Combine(node.WorkDirectory, $"{name}.db");
        using (var source = new SqliteConnection($"Data Source={original};Mode=ReadOnly;Pooling=False"))
        {
            source.Open();
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{path}'";
            vacuum.ExecuteNonQuery();
        }

        using var copy = new SqliteConnection($"Data Source={path};Pooling=False");
        copy.Open();
        using var command = copy.CreateCommand();
        command.CommandText = tamper;
        Assert.True(command.ExecuteNonQuery() > 0);
        return path;
    }

    private static async Task<string> VerifyFailsAsync(ProvenanceNode node, string db)
    {
        await using var child = ChildProcess.StartDll(RepositoryPaths.HostDll, ["ledger", "verify", "--db", db, "--data", node.DataDirectory], node.WorkDirectory);
        Assert.Equal(1, await child.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("ledger BROKEN", child.Output, StringComparison.Ordinal);
        return child.Output;
    }
}

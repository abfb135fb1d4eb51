using Npgsql;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Cli;

/// <summary>
/// <c>provenance db migrate</c> and <c>Storage:Migrate=false</c> against a real PostgreSQL cluster, as an operator runs
/// them: migrate once (again is a no-op), a start that refuses an unmigrated database naming the command, and settings
/// that cannot work named with what to do.
/// </summary>
public sealed class DbMigrateVerbTests
{
    [Fact]
    public async Task Serve_refuses_an_unmigrated_database_naming_db_migrate_which_then_migrates_it_once_and_again_changes_nothing()
    {
        var server = await PostgresServer.Shared;
        var connection = await server.CreateDatabaseAsync("migrate");
        using var dir = new TempDirectory("db-migrate");
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__Migrate"] = "false",
            ["ConnectionStrings__Provenance"] = connection,
        };

        var (refused, startOutput) = await RunAsync(dir, settings, "serve", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Broker:Port={FreePort.Next()}");
        Assert.Equal(1, refused);
        Assert.Contains("is at version 0", startOutput, StringComparison.Ordinal);
        Assert.Contains("provenance db migrate", startOutput, StringComparison.Ordinal);

        var (first, firstOutput) = await RunAsync(dir, settings, "db", "migrate");
        var (again, againOutput) = await RunAsync(dir, settings, "db", "migrate");

        Assert.Equal(0, first);
        Assert.Equal(0, again);
        Assert.Contains("(up to date)", firstOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", firstOutput, StringComparison.OrdinalIgnoreCase);
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var applied = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM schema_migrations", db);
        await using var reader = await applied.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
        Assert.Contains($"schema version {reader.GetInt64(1)} (up to date)", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_provider_a_replica_without_postgres_or_a_bad_lag_exits_2_and_an_unreachable_server_exits_1_each_saying_what_to_change()
    {
        using var dir = new TempDirectory("db-migrate");
        var (unknown, unknownOutput) = await RunAsync(dir, new Dictionary<string, string> { ["Storage__Provider"] = "mysql" }, "db", "migrate");
        Assert.Equal(2, unknown);
        Assert.Contains("Storage:Provider is 'mysql': use 'sqlite'", unknownOutput, StringComparison.Ordinal);

        var (missing, missingOutput) = await RunAsync(dir, new Dictionary<string, string> { ["Storage__Provider"] = "postgres" }, "db", "migrate");
        Assert.Equal(2, missing);
        Assert.Contains("ConnectionStrings:Provenance is not set", missingOutput, StringComparison.Ordinal);

        var (replicaOnSqlite, replicaOutput) = await RunAsync(dir, new Dictionary<string, string> { ["ConnectionStrings__ProvenanceReplica"] = "Host=127.0.0.1;Database=x" }, "db", "migrate");
        Assert.Equal(2, replicaOnSqlite);
        Assert.Contains("ConnectionStrings:ProvenanceReplica is set but Storage:Provider is 'sqlite'", replicaOutput, StringComparison.Ordinal);

        var (badLag, badLagOutput) = await RunAsync(dir, new Dictionary<string, string> { ["Storage__ReplicaMaxLag"] = "soon" }, "db", "migrate");
        Assert.Equal(2, badLag);
        Assert.Contains("Storage:ReplicaMaxLag is 'soon'", badLagOutput, StringComparison.Ordinal);

        var closed = FreePort.Next();
        var (unreachable, unreachableOutput) = await RunAsync(dir, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Provenance"] = $"Host=127.0.0.1;Port={closed};Database=x;Username=provenance;Timeout=3",
        }, "db", "migrate");
        Assert.Equal(1, unreachable);
        Assert.Contains("cannot use the PostgreSQL database", unreachableOutput, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(TempDirectory dir, Dictionary<string, string> environment, params string[] args)
    {
        await using var child = ChildProcess.StartDll(RepositoryPaths.HostDll, args, dir.Path, environment);
        var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, child.Output);
    }
}

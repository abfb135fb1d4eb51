using Npgsql;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Tests.Postgres;

/// <summary>Migrating a real PostgreSQL database: once, to the latest version, also when processes start together.</summary>
public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task An_empty_database_migrates_to_the_latest_version_and_a_second_migrate_changes_nothing()
    {
        var server = await PostgresServer.Shared;
        await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync("migrate"));
        await connection.OpenAsync();
        Assert.Equal(0, PostgresSchema.CurrentVersion(connection));

        PostgresSchema.Migrate(connection);
        var applied = await AppliedAsync(connection);
        PostgresSchema.Migrate(connection);

        Assert.Equal(PostgresSchema.LatestVersion, PostgresSchema.CurrentVersion(connection));
        Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion).Select(v => (long)v), applied.Select(a => a.Version));
        Assert.Equal(applied, await AppliedAsync(connection));
        await using var insert = new NpgsqlCommand("INSERT INTO messages (topic, gateway_id, jws, received_at) VALUES ('t', 'g', 'x', '2026-01-01T00:00:00Z') RETURNING id", connection);
        Assert.Equal(1L, await insert.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Two_processes_migrating_a_fresh_database_at_once_both_succeed_and_each_step_runs_once()
    {
        var server = await PostgresServer.Shared;
        for (var round = 0; round < 3; round++)
        {
            var database = await server.CreateDatabaseAsync("race");
            await using var first = new NpgsqlConnection(database);
            await using var second = new NpgsqlConnection(database);
            await Task.WhenAll(first.OpenAsync(), second.OpenAsync());
            using var start = new Barrier(2);

            await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); PostgresSchema.Migrate(first); }),
                Task.Run(() => { start.SignalAndWait(); PostgresSchema.Migrate(second); }));

            Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion).Select(v => (long)v), (await AppliedAsync(first)).Select(a => a.Version));
            Assert.Equal(PostgresSchema.LatestVersion, PostgresSchema.CurrentVersion(second));
        }
    }

    [Fact]
    public async Task Opening_a_postgres_database_migrates_it_unless_told_not_to_and_then_names_the_command_to_run()
    {
        var server = await PostgresServer.Shared;
        var unmigrated = await server.CreateDatabaseAsync("open");

        var refused = Assert.Throws<SchemaVersionException>(() => ProvenanceDatabase.OpenPostgres(unmigrated, migrate: false));
        var db = ProvenanceDatabase.OpenPostgres(unmigrated);

        Assert.Contains("provenance db migrate", refused.Message, StringComparison.Ordinal);
        using var connection = db.Connect();
        Assert.Equal(PostgresSchema.LatestVersion, PostgresSchema.CurrentVersion(connection));
        ProvenanceDatabase.OpenPostgres(unmigrated, migrate: false);
    }

    private static async Task<List<(long Version, string AppliedAt)>> AppliedAsync(NpgsqlConnection connection)
    {
        await using var query = new NpgsqlCommand("SELECT version, applied_at FROM schema_migrations ORDER BY version", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }
}

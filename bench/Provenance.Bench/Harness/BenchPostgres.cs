using Npgsql;
using Provenance.Testing;

namespace Provenance.Bench.Harness;

/// <summary>
/// The throwaway PostgreSQL cluster of the <c>*-postgres</c> paths: the tests' <see cref="PostgresServer"/> (temp
/// directory, 127.0.0.1, a free port, removed on dispose or when the bench dies) with durable, sized settings instead
/// of the tests' no-fsync ones, so that a commit costs what it costs in production and the server is not the
/// bottleneck by accident.
/// </summary>
public static class BenchPostgres
{
    /// <summary>postgresql.conf lines after the tests' defaults (bench/README.md lists them with the reasons).</summary>
    public static IReadOnlyList<string> Settings { get; } =
    [
        // Durability as shipped: a commit returns after its WAL is flushed to disk (SQLite's side runs WAL + synchronous=FULL).
        "fsync = on",
        "full_page_writes = on",
        "synchronous_commit = on",
        // The whole bench database fits in memory, as a production server's hot set would.
        "shared_buffers = 512MB",
        "effective_cache_size = 4GB",
        "wal_buffers = 16MB",
        // No checkpoint forced by WAL volume or time in the middle of a measured window.
        "max_wal_size = 8GB",
        "checkpoint_timeout = 30min",
        // Per-statement call counts and times for the wait profile (PostgresWaitSampler); negligible overhead.
        "shared_preload_libraries = 'pg_stat_statements'",
    ];

    public static async Task<PostgresServer> StartAsync()
    {
        var server = await PostgresServer.StartAsync(Settings);
        Log.Info($"postgres: cluster on 127.0.0.1:{server.Port} ({server.DataDirectory}), {string.Join(", ", Settings)}");
        return server;
    }

    /// <summary>
    /// <c>VACUUM (ANALYZE)</c> and a checkpoint after bulk loading, so that neither autovacuum nor a checkpoint of the
    /// load starts in the middle of a measured window.
    /// </summary>
    public static async Task SettleAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var sql in new[] { "VACUUM (ANALYZE)", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

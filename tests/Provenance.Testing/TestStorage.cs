using System.Collections.Concurrent;
using Provenance.Storage;

namespace Provenance.Testing;

/// <summary>
/// Which storage provider the tests run the product on. By default SQLite, one file per data directory. With
/// <c>PROVENANCE_TEST_STORAGE=postgres</c> the same tests run on PostgreSQL: every data directory a test uses gets its
/// own database on one throwaway cluster (<see cref="PostgresServer.Shared"/>), handed to in-process stores through
/// <see cref="Open"/> and to <c>provenance</c> child processes through <see cref="EnvironmentFor"/>.
/// </summary>
public static class TestStorage
{
    public const string Variable = "PROVENANCE_TEST_STORAGE";

    /// <summary>The trait of tests that look at the SQLite file itself (its query plans, a copy of the file): not run on PostgreSQL.</summary>
    public const string SqliteOnly = "sqlite-only";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new(StringComparer.Ordinal);

    public static bool IsPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable(Variable), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the state of <paramref name="dataDirectory"/> on the provider under test.</summary>
    public static ProvenanceDatabase Open(string dataDirectory, TimeProvider? time = null) =>
        IsPostgres ? ProvenanceDatabase.OpenPostgres(ConnectionStringFor(dataDirectory), time) : ProvenanceDatabase.Open(dataDirectory, time);

    /// <summary>The settings a <c>provenance</c> process on <paramref name="dataDirectory"/> needs (none on SQLite).</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string dataDirectory) => IsPostgres
        ? new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Provenance"] = ConnectionStringFor(dataDirectory),
        }
        : new Dictionary<string, string>();

    /// <summary>
    /// Copies the state of <paramref name="fromDataDirectory"/> to stand for <paramref name="toDataDirectory"/> (a
    /// PostgreSQL database made from the first as its template; pooled connections to it are closed first, as the
    /// template must have none).
    /// </summary>
    public static void CopyPostgres(string fromDataDirectory, string toDataDirectory)
    {
        var source = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionStringFor(fromDataDirectory));
        var copy = Task.Run(async () =>
        {
            var server = await PostgresServer.Shared.ConfigureAwait(false);
            var name = "copy_" + Guid.NewGuid().ToString("N");
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(server.ConnectionString("postgres"));
            await admin.OpenAsync().ConfigureAwait(false);
            await using var create = admin.CreateCommand();
            // A template must have no sessions: ClearAllPools closes idle ones; a connection still open elsewhere is ended.
            create.CommandText = $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source.Database}' AND pid <> pg_backend_pid()";
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            create.CommandText = $"CREATE DATABASE \"{name}\" TEMPLATE \"{source.Database}\"";
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            return server.ConnectionString(name);
        }).GetAwaiter().GetResult();
        Databases[Path.GetFullPath(toDataDirectory)] = new Lazy<string>(copy);
    }

    /// <summary>The database that stands for <paramref name="dataDirectory"/>: created on first use, the same one afterwards.</summary>
    public static string ConnectionStringFor(string dataDirectory)
    {
        var key = Path.GetFullPath(dataDirectory);
        // Created off the caller's synchronisation context: the cluster starts once and answers every test from then on.
        return Databases.GetOrAdd(key, _ => new Lazy<string>(() => Task.Run(async () =>
        {
            var server = await PostgresServer.Shared.ConfigureAwait(false);
            return await server.CreateDatabaseAsync("node").ConfigureAwait(false);
        }).GetAwaiter().GetResult())).Value;
    }
}

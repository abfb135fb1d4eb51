using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// The database of a Provenance node. Embedded default: one SQLite file (<c>provenance.db</c>) in the data directory, in
/// WAL mode with <c>synchronous=FULL</c>, so that a committed transaction survives a power cut; writers take the
/// database lock with <c>BEGIN IMMEDIATE</c> and readers run concurrently. Shared: a PostgreSQL database that many
/// processes use at once (<see cref="OpenPostgres"/>); writers serialise on one transaction-scoped advisory lock, the
/// same order SQLite's single writer gives, so every read-then-write a store does stays exactly once across processes.
/// Thread-safe: every call opens its own pooled connection.
/// </summary>
public sealed class ProvenanceDatabase
{
    public const string FileName = "provenance.db";

    /// <summary>The advisory lock every PostgreSQL write transaction holds ("PROVWRIT"): one writer at a time, cluster-wide.</summary>
    internal const long WriteLockKey = 0x50524F5657524954;

    private const int SqliteConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    private readonly string? _sqliteConnectionString;
    private readonly NpgsqlDataSource? _postgres;
    private NpgsqlDataSource? _replica;

    /// <summary>
    /// Turns off SQLite's memory statistics before the library starts (a no-op once it has: the call is then refused).
    /// With them on, every allocation SQLite makes takes one process-wide mutex, so reads on two threads ran slower
    /// than on one (a scan's statement on two threads: 170 us each with them, 60-80 us without). Nothing here reads
    /// them (no soft heap limit, no <c>sqlite3_memory_used</c>).
    /// </summary>
    static ProvenanceDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SqliteConfigMemStatus, 0);
    }

    private ProvenanceDatabase(string path, TimeProvider time)
    {
        Provider = StorageProvider.Sqlite;
        Path = path;
        Time = time;
        _sqliteConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
    }

    private ProvenanceDatabase(NpgsqlDataSource dataSource, TimeProvider time)
    {
        Provider = StorageProvider.Postgres;
        _postgres = dataSource;
        Path = Describe(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString));
        Time = time;
    }

    /// <summary>Which engine holds the state.</summary>
    public StorageProvider Provider { get; }

    /// <summary>
    /// Serialises this process's writers. SQLite allows one writer at a time and makes a second one wait by sleeping
    /// and retrying; taking this lock around each write transaction wakes the next writer at once instead.
    /// (Other processes on the same database still meet the engine's own lock: SQLite's busy handling, or
    /// PostgreSQL's advisory lock in <see cref="BeginWrite"/>.)
    /// </summary>
    public Lock WriteLock { get; } = new();

    /// <summary>Which bottles' verdict facts this process's writes changed (for the scan read model).</summary>
    public TagChangeFeed TagChanges { get; } = new();

    /// <summary>The SQLite database file, or for PostgreSQL the server and database (never the password).</summary>
    public string Path { get; }

    /// <summary>Whether a read replica (a hot standby, <see cref="OpenPostgres"/>) is configured for scan reads.</summary>
    public bool HasReplica => _replica is not null;

    /// <summary>The read replica's server(s) and database (never the password), or null without one.</summary>
    public string? ReplicaPath { get; private set; }

    /// <summary>The clock every store stamps its rows with (creation, rotation, revocation, block times).</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens (creating or migrating when needed) the SQLite database in <paramref name="dataDirectory"/>.</summary>
    public static ProvenanceDatabase Open(string dataDirectory, TimeProvider? time = null)
    {
        Directory.CreateDirectory(dataDirectory);
        return OpenFile(System.IO.Path.Combine(dataDirectory, FileName), time);
    }

    /// <summary>Opens (creating or migrating when needed) the SQLite database at an explicit file path.</summary>
    public static ProvenanceDatabase OpenFile(string path, TimeProvider? time = null)
    {
        var db = new ProvenanceDatabase(System.IO.Path.GetFullPath(path), time ?? TimeProvider.System);
        using var connection = (SqliteConnection)db.Connect();
        using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the file: set once, not on every connection.
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }

        Schema.Migrate(connection);
        return db;
    }

    /// <summary>
    /// Opens the PostgreSQL database named by <paramref name="connectionString"/> (Npgsql syntax, multi-host allowed),
    /// applying pending schema migrations unless <paramref name="migrate"/> is false (operators who run
    /// <c>provenance db migrate</c> separately); then a database behind the code's schema is refused with what to run.
    /// </summary>
    /// <paramref name="replicaConnectionString"/> names a hot standby (or several, with <c>Target Session Attributes</c>)
    /// that <see cref="ConnectReplica"/> reads from; it is not contacted here, so a replica that is down does not stop a start.
    public static ProvenanceDatabase OpenPostgres(string connectionString, TimeProvider? time = null, bool migrate = true, string? replicaConnectionString = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var db = new ProvenanceDatabase(NpgsqlDataSource.Create(WithDefaults(connectionString)), time ?? TimeProvider.System);
        if (!string.IsNullOrWhiteSpace(replicaConnectionString))
        {
            db._replica = NpgsqlDataSource.Create(WithDefaults(replicaConnectionString));
            db.ReplicaPath = Describe(new NpgsqlConnectionStringBuilder(replicaConnectionString));
        }

        using var connection = db.Connect();
        if (migrate)
        {
            PostgresSchema.Migrate(connection);
        }
        else if (PostgresSchema.CurrentVersion(connection) is var current && current != PostgresSchema.LatestVersion)
        {
            throw new SchemaVersionException(
                $"the PostgreSQL schema at {db.Path} is at version {current}, this build needs {PostgresSchema.LatestVersion}: run `provenance db migrate` (or set Storage:Migrate=true) first");
        }

        return db;
    }

    /// <summary>The schema version the database is at (SQLite's <c>user_version</c>, or the last PostgreSQL migration applied).</summary>
    public int SchemaVersion()
    {
        using var connection = Connect();
        if (Provider == StorageProvider.Postgres)
        {
            return PostgresSchema.CurrentVersion(connection);
        }

        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Opens a pooled connection with what every connection needs.</summary>
    public DbConnection Connect()
    {
        if (_postgres is not null)
        {
            return _postgres.OpenConnection();
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Opens a pooled connection to the read replica; only with <see cref="HasReplica"/>. Nothing may be written through it.</summary>
    public DbConnection ConnectReplica() =>
        (_replica ?? throw new InvalidOperationException("no read replica is configured (ConnectionStrings:ProvenanceReplica)")).OpenConnection();

    /// <summary>Closes the idle pooled PostgreSQL connections (before the database is copied as a template); nothing on SQLite.</summary>
    public void ClosePooledConnections() => _postgres?.Clear();

    /// <summary>
    /// Npgsql's automatic preparation unless the connection string sets it: the stores run the same few dozen statements
    /// over and over, each otherwise parsed and planned by the server every time.
    /// </summary>
    private static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"postgresql://{(builder.Host?.Contains(',', StringComparison.Ordinal) == true ? builder.Host : $"{builder.Host}:{builder.Port}")}/{builder.Database}";

    /// <summary>
    /// Begins a write transaction that holds the database's single write lock from its first statement: SQLite's
    /// <c>BEGIN IMMEDIATE</c>, or PostgreSQL's transaction-scoped advisory lock (released at commit or rollback, also
    /// when the connection dies). Reads inside it therefore see every earlier writer's commit.
    /// </summary>
    public DbTransaction BeginWrite(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(deferred: false);
        }

        var transaction = connection.BeginTransaction();
        using var take = connection.CreateCommand();
        take.Transaction = transaction;
        take.CommandText = $"SELECT pg_advisory_xact_lock({WriteLockKey})";
        take.ExecuteNonQuery();
        return transaction;
    }
}

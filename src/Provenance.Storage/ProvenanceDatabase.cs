using Microsoft.Data.Sqlite;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// The SQLite database of one Provenance node: one file (<c>provenance.db</c>) in the data directory, in WAL mode
/// with <c>synchronous=FULL</c>, so that a committed transaction survives a power cut. Writers take the database
/// lock with <c>BEGIN IMMEDIATE</c>; readers run concurrently. Thread-safe: every call opens its own pooled
/// connection.
/// </summary>
public sealed class ProvenanceDatabase
{
    public const string FileName = "provenance.db";

    private readonly string _connectionString;

    private ProvenanceDatabase(string path, TimeProvider time)
    {
        Path = path;
        Time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
    }

    /// <summary>
    /// Serialises this process's writers. SQLite allows one writer at a time and makes a second one wait by sleeping
    /// and retrying; taking this lock around each write transaction wakes the next writer at once instead.
    /// (Other processes on the same file still meet SQLite's own busy handling.)
    /// </summary>
    public Lock WriteLock { get; } = new();

    /// <summary>Which bottles' verdict facts this process's writes changed (for the scan read model).</summary>
    public TagChangeFeed TagChanges { get; } = new();

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The clock every store stamps its rows with (creation, rotation, revocation, block times).</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens (creating or migrating when needed) the database in <paramref name="dataDirectory"/>.</summary>
    public static ProvenanceDatabase Open(string dataDirectory, TimeProvider? time = null)
    {
        Directory.CreateDirectory(dataDirectory);
        return OpenFile(System.IO.Path.Combine(dataDirectory, FileName), time);
    }

    /// <summary>Opens (creating or migrating when needed) the database at an explicit file path.</summary>
    public static ProvenanceDatabase OpenFile(string path, TimeProvider? time = null)
    {
        var db = new ProvenanceDatabase(System.IO.Path.GetFullPath(path), time ?? TimeProvider.System);
        using var connection = db.Connect();
        using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the file: set once, not on every connection.
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }

        Schema.Migrate(connection);
        return db;
    }

    /// <summary>Opens a pooled connection with the pragmas every connection needs.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}

using System.Data;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Named totals that outlive the process (<c>node_counters</c>): a checkpoint of counters that are otherwise kept in
/// memory, per instance (several processes may share one database). The table is created on first use. Thread-safe.
/// </summary>
public sealed class CounterStore
{
    private readonly ProvenanceDatabase _database;
    private readonly string _prefix;

    public CounterStore(ProvenanceDatabase database, string instance)
    {
        _database = database;
        _prefix = instance + "/";
        // SQLite files from before the counters get the table here; the PostgreSQL schema always has it.
        if (database.Provider == StorageProvider.Sqlite)
        {
            lock (database.WriteLock)
            {
                using var c = database.Connect();
                using var create = c.Command("CREATE TABLE IF NOT EXISTS node_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
                create.ExecuteNonQuery();
            }
        }
    }

    /// <summary>Every stored total of this instance by name.</summary>
    public IReadOnlyDictionary<string, long> Load()
    {
        using var c = _database.Connect();
        using var query = c.Command("SELECT name, value FROM node_counters WHERE substr(name, 1, length(@p)) = @p").With("@p", _prefix);
        using var reader = query.ExecuteReader();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            totals[reader.GetString(0)[_prefix.Length..]] = reader.GetInt64(1);
        }

        return totals;
    }

    /// <summary>Replaces this instance's stored totals with <paramref name="totals"/>, in one transaction.</summary>
    public void Save(IReadOnlyDictionary<string, long> totals)
    {
        lock (_database.WriteLock)
        {
            using var c = _database.Connect();
            using var tx = _database.BeginWrite(c);
            using var upsert = c.Command("INSERT INTO node_counters (name, value) VALUES (@n, @v) ON CONFLICT (name) DO UPDATE SET value = excluded.value", tx);
            var name = upsert.Parameter("@n", DbType.String);
            var value = upsert.Parameter("@v", DbType.Int64);
            foreach (var (n, v) in totals)
            {
                name.Value = _prefix + n;
                value.Value = v;
                upsert.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }
}

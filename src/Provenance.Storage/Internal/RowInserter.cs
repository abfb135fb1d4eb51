using System.Data.Common;

namespace Provenance.Storage.Internal;

/// <summary>
/// Inserts rows into one table inside a transaction the way each engine takes them fastest: on PostgreSQL up to
/// <see cref="ManyRows.Chunk"/> rows per statement (each statement is a round trip, made under the write lock); on
/// SQLite one row per statement (no round trip to save, and a 64-row statement costs SQLite more to prepare than it
/// saves). Each statement shape is prepared once and bound again. Not thread-safe; dispose with the transaction.
/// </summary>
internal sealed class RowInserter(DbConnection c, DbTransaction tx, string table, string columns, string suffix = "") : IDisposable
{
    private readonly Dictionary<int, DbCommand> _commands = [];
    private readonly int _chunk = c.IsPostgres() ? ManyRows.Chunk : 1;

    /// <summary>Inserts the rows in their order, each row's values in the order of the columns.</summary>
    public void Insert(IReadOnlyList<object?[]> rows)
    {
        foreach (var chunk in ManyRows.Chunks(rows, _chunk))
        {
            if (_commands.TryGetValue(chunk.Count, out var insert))
            {
                ManyRows.Rebind(insert, chunk);
            }
            else
            {
                insert = c.Command(string.Empty, tx);
                insert.CommandText = $"INSERT INTO {table} ({columns}) VALUES {ManyRows.RowList(insert, "v", chunk)}{suffix}";
                _commands[chunk.Count] = insert;
            }

            insert.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var insert in _commands.Values)
        {
            insert.Dispose();
        }
    }
}

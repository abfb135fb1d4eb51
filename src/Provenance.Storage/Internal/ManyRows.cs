using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Provenance.Storage.Internal;

/// <summary>
/// Statements over many rows at once: a lookup of many keys with one <c>IN</c> list, an insert of many rows with one
/// multi-row <c>VALUES</c>. On PostgreSQL every statement is a network round trip, and a writer that spent one per
/// row held the cluster's write lock mostly waiting for the network; on SQLite it saves a statement step per row. The
/// SQL is the same on both engines.
/// </summary>
internal static class ManyRows
{
    /// <summary>The most rows one statement carries (at most 16 columns: 1,024 parameters, far below both engines' limits).</summary>
    public const int Chunk = 64;

    /// <summary>The items in consecutive slices of at most <see cref="Chunk"/>.</summary>
    public static IEnumerable<ArraySegment<T>> Chunks<T>(IReadOnlyList<T> items, int size = Chunk)
    {
        var all = items as T[] ?? [.. items];
        for (var start = 0; start < all.Length; start += size)
        {
            yield return new ArraySegment<T>(all, start, Math.Min(size, all.Length - start));
        }
    }

    /// <summary>Binds new rows to a command made by <see cref="RowList"/> for as many rows of as many columns (reused, not prepared again).</summary>
    public static void Rebind(DbCommand command, IReadOnlyList<object?[]> rows)
    {
        var index = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                command.Parameters[index++].Value = Sql.Portable(value);
            }
        }

        if (index != command.Parameters.Count)
        {
            throw new ArgumentException($"{index} values for a statement of {command.Parameters.Count} parameters", nameof(rows));
        }
    }

    /// <summary>
    /// Binds the keys as <c>@{prefix}0, @{prefix}1, …</c> and returns that list for an <c>IN (…)</c>. The list is
    /// padded to 1, 4, 16 or 64 entries by repeating the last key, so the server sees four shapes of the statement
    /// (each prepared once) rather than one per count.
    /// </summary>
    public static string InList(DbCommand command, string prefix, IReadOnlyList<object> keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keys.Count, Chunk);
        var text = new StringBuilder();
        for (var i = 0; i < Bucket(keys.Count); i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i}");
            text.Append(i == 0 ? string.Empty : ", ").Append(name);
            command.With(name, keys[Math.Min(i, keys.Count - 1)]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Binds the rows as <c>(@{prefix}0_0, @{prefix}0_1, …), (@{prefix}1_0, …)</c> and returns that list, for a
    /// multi-row <c>VALUES</c>.
    /// </summary>
    public static string RowList(DbCommand command, string prefix, IReadOnlyList<object?[]> rows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows.Count, Chunk);
        var text = new StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < rows[r].Length; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{r}_{c}");
                text.Append(c == 0 ? string.Empty : ", ").Append(name);
                command.With(name, rows[r][c]);
            }

            text.Append(')');
        }

        return text.ToString();
    }

    private static int Bucket(int count) => count switch
    {
        <= 1 => 1,
        <= 4 => 4,
        <= 16 => 16,
        _ => Chunk,
    };
}

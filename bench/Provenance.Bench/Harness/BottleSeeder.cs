using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Provenance.Core.Codes;

namespace Provenance.Bench.Harness;

/// <summary>
/// Grows a data directory that already holds a few bottles sealed the real way (simulator → serve → ledger) to
/// <c>total</c> sealed bottles by copying one of them in bulk, straight into SQLite: a tag, a seal row and a ledger
/// entry per bottle, each with its own serial and event id. Seeding a million bottles this way takes seconds, where
/// sealing them through MQTT would take an hour on this machine. The copies are shaped as the real rows are (same
/// tables, same indexes, same attestation), so a scan of one reads exactly what a scan of a real seal reads; their
/// ledger entries repeat the template's Merkle path, so <c>ledger verify</c> is not meaningful on such a directory.
/// </summary>
public static class BottleSeeder
{
    private const string SerialPrefix = "BK";

    /// <summary>Adds bottles until <paramref name="total"/> are sealed; returns the signed scan paths of <paramref name="walk"/> of them spread evenly over all.</summary>
    public static IReadOnlyList<string> Seed(string dataDirectory, string templateUrl, int total, int walk)
    {
        var dbPath = Path.Combine(dataDirectory, "provenance.db");
        using var c = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        c.Open();
        Execute(c, "PRAGMA synchronous=OFF");
        var existing = (int)Scalar(c, "SELECT COUNT(*) FROM seals");
        var add = total - existing;
        if (add <= 0)
        {
            throw new InvalidOperationException($"{existing:N0} seals already, cannot seed to {total:N0}");
        }

        var template = DigitalLink.Parse(templateUrl);
        using (var tx = c.BeginTransaction())
        {
            var serial = $"printf('{SerialPrefix}%010d', n.i)";
            Execute(c, tx, $"INSERT INTO tags (gtin, serial, lot, batch_id) SELECT t.gtin, {serial}, t.lot, t.batch_id FROM n, (SELECT * FROM tags WHERE gtin = $g AND serial = $s) t", add, template);
            Execute(c, tx, $"INSERT INTO seals ({Columns(c, "seals", null)}) SELECT {Columns(c, "seals", "s", ("event_id", "'bk-' || n.i"), ("serial", serial), ("seq", "n.i"))} FROM n, (SELECT * FROM seals WHERE gtin = $g AND serial = $s) s", add, template);
            Execute(c, tx, $"INSERT INTO ledger ({Columns(c, "ledger", null, ("idx", null))}) SELECT {Columns(c, "ledger", "l", ("idx", null), ("event_id", "'bk-' || n.i"))} FROM n, ledger l JOIN seals s ON s.event_id = l.event_id WHERE s.gtin = $g AND s.serial = $s", add, template);
            tx.Commit();
        }

        Execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        var codes = new CodeAuthenticator(LoadKeys(dataDirectory));
        var step = Math.Max(1, add / walk);
        var paths = new List<string>(walk);
        for (var i = 1; i <= add && paths.Count < walk; i += step)
        {
            var link = DigitalLink.ForTag(template.Authority, template.Gtin!.Value, SerialPrefix + i.ToString("D10", CultureInfo.InvariantCulture), template.Lot, template.Scheme);
            paths.Add(new Uri(codes.Sign(link)).PathAndQuery);
        }

        return paths;
    }

    private static CodeKeyRing LoadKeys(string dataDirectory)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "code-keys.json")));
        var keys = file.RootElement.GetProperty("Keys").EnumerateObject().ToDictionary(
            p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => Convert.FromBase64String(p.Value.GetString()!));
        return new CodeKeyRing(keys, file.RootElement.GetProperty("Current").GetInt32());
    }

    /// <summary>The table's columns, each replaced by its expression in <paramref name="overrides"/> (null drops it), prefixed with <paramref name="alias"/>.</summary>
    private static string Columns(SqliteConnection c, string table, string? alias, params (string Column, string? Expression)[] overrides)
    {
        var columns = new List<string>();
        using var info = c.CreateCommand();
        info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var r = info.ExecuteReader();
        while (r.Read())
        {
            var name = r.GetString(0);
            var found = overrides.FirstOrDefault(o => o.Column == name);
            if (found.Column is null)
            {
                columns.Add(alias is null ? name : $"{alias}.{name}");
            }
            else if (found.Expression is not null)
            {
                columns.Add(alias is null ? name : found.Expression);
            }
        }

        return string.Join(", ", columns);
    }

    private static void Execute(SqliteConnection c, SqliteTransaction tx, string insertSelect, long count, DigitalLink template)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandTimeout = 0;
        cmd.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) " + insertSelect;
        cmd.Parameters.AddWithValue("$count", count);
        cmd.Parameters.AddWithValue("$g", template.Gtin!.Value.Value);
        cmd.Parameters.AddWithValue("$s", template.Serial);
        var rows = cmd.ExecuteNonQuery();
        if (rows != count)
        {
            throw new InvalidOperationException($"seeding inserted {rows:N0} rows instead of {count:N0}: {insertSelect}");
        }
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

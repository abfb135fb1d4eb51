using System.Data.Common;
using Npgsql;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL schema has the shape of the SQLite one, so that one SQL text runs on both: the same tables and
/// columns with matching types, NOT NULL, defaults and identities, the same keys, foreign keys and named indexes.
/// A SQLite step without its PostgreSQL counterpart fails here.
/// </summary>
public sealed class PostgresSchemaParityTests : IDisposable
{
    /// <summary>Rowid tables whose implicit rowid the stores read; PostgreSQL gives them an explicit identity column.</summary>
    private static readonly string[] ExplicitRowid = ["seals"];

    private readonly string _dir = Directory.CreateTempSubdirectory("prov-parity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_migrated_postgres_schema_matches_the_sqlite_schema()
    {
        var sqlite = SqliteShape();
        var server = await PostgresServer.Shared;
        await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync("parity"));
        await connection.OpenAsync();
        PostgresSchema.Migrate(connection);
        var postgres = PostgresShape(connection);

        var onlySqlite = sqlite.Except(postgres).ToList();
        var onlyPostgres = postgres.Except(sqlite).ToList();
        Assert.True(onlySqlite.Count == 0 && onlyPostgres.Count == 0,
            $"only in SQLite:\n  {string.Join("\n  ", onlySqlite)}\nonly in PostgreSQL:\n  {string.Join("\n  ", onlyPostgres)}");
        Assert.Contains("seals.rowid bigint NOT NULL IDENTITY", postgres);
        Assert.Contains("tags.status text NOT NULL DEFAULT 'issued'", postgres);
    }

    /// <summary>One line per column, key, foreign key and named index, written with PostgreSQL's type names.</summary>
    private SortedSet<string> SqliteShape()
    {
        var db = ProvenanceDatabase.OpenFile(Path.Combine(_dir, "parity.db"));
        _ = new CounterStore(db, "parity"); // creates node_counters, which SQLite makes on first use
        using var c = db.Connect();
        var shape = new SortedSet<string>(StringComparer.Ordinal);
        // ledger_v1 holds format-1 entries until EmbeddedLedger re-blocks and drops them; a PostgreSQL database never had any.
        var tables = Rows(c, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'ledger_v1'")
            .Select(r => (Name: (string)r[0]!, Sql: (string)r[1]!)).ToList();
        foreach (var (table, sql) in tables)
        {
            var columns = Rows(c, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}') ORDER BY cid");
            var key = columns.Where(r => (long)r[4]! > 0).OrderBy(r => (long)r[4]!).Select(r => (string)r[0]!).ToList();
            var rowidKey = key.Count == 1 && columns.Single(r => (string)r[0]! == key[0])[1] is "INTEGER";
            foreach (var r in columns)
            {
                // A rowid table does not enforce NOT NULL on a non-integer primary key, PostgreSQL always does: keys are compared below.
                var notNull = (long)r[2]! == 1 || (long)r[4]! > 0;
                var identity = rowidKey && key[0] == (string)r[0]! && sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
                shape.Add(Column(table, (string)r[0]!, PostgresType((string)r[1]!), notNull, (string?)r[3], identity));
            }

            shape.Add($"{table} PRIMARY KEY ({string.Join(", ", key)})");
            foreach (var index in Rows(c, $"SELECT name, origin, \"unique\", partial FROM pragma_index_list('{table}')"))
            {
                var indexColumns = string.Join(", ", Rows(c, $"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno").Select(x => (string)x[0]!));
                shape.Add((string)index[1]! switch
                {
                    "pk" => $"{table} PRIMARY KEY ({indexColumns})",
                    "u" => $"{table} UNIQUE ({indexColumns})",
                    _ => Index(table, (string)index[0]!, indexColumns, (long)index[2]! == 1, (long)index[3]! == 1),
                });
            }

            foreach (var fk in Rows(c, $"SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{table}')"))
            {
                shape.Add($"{table}.{fk[0]} REFERENCES {fk[1]}({fk[2]})");
            }

            if (ExplicitRowid.Contains(table))
            {
                Assert.False(sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase), $"{table} has no rowid in SQLite");
                shape.Add(Column(table, "rowid", "bigint", notNull: true, defaultValue: null, identity: true));
                shape.Add($"{table} UNIQUE (rowid)");
            }
        }

        return shape;
    }

    private static SortedSet<string> PostgresShape(NpgsqlConnection c)
    {
        var shape = new SortedSet<string>(StringComparer.Ordinal);
        const string schema = "current_schema()";
        foreach (var r in Rows(c, $"SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = {schema} AND table_name <> 'schema_migrations'"))
        {
            var defaultValue = (string?)r[4];
            var typed = defaultValue?.IndexOf("::", StringComparison.Ordinal) ?? -1;
            shape.Add(Column((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]! == "NO", typed >= 0 ? defaultValue![..typed] : defaultValue, (string)r[5]! == "YES"));
        }

        const string columnsOf = "(SELECT string_agg(a.attname, ', ' ORDER BY u.n) FROM unnest({0}) WITH ORDINALITY u(attnum, n) JOIN pg_attribute a ON a.attrelid = {1} AND a.attnum = u.attnum)";
        foreach (var r in Rows(c, $"""
            SELECT t.relname, k.contype::text, {string.Format(System.Globalization.CultureInfo.InvariantCulture, columnsOf, "k.conkey", "k.conrelid")}, f.relname,
                   {string.Format(System.Globalization.CultureInfo.InvariantCulture, columnsOf, "k.confkey", "k.confrelid")}
            FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
            WHERE k.connamespace = {schema}::regnamespace AND t.relname <> 'schema_migrations'
            """))
        {
            shape.Add((string)r[1]! switch
            {
                "p" => $"{r[0]} PRIMARY KEY ({r[2]})",
                "u" => $"{r[0]} UNIQUE ({r[2]})",
                "f" => $"{r[0]}.{r[2]} REFERENCES {r[3]}({r[4]})",
                var other => $"{r[0]} constraint of type {other} on ({r[2]})",
            });
        }

        foreach (var r in Rows(c, $"""
            SELECT t.relname, i.relname, {string.Format(System.Globalization.CultureInfo.InvariantCulture, columnsOf, "x.indkey", "x.indrelid")}, x.indisunique, x.indpred IS NOT NULL
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = {schema}::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            """))
        {
            shape.Add(Index((string)r[0]!, (string)r[1]!, (string)r[2]!, (bool)r[3]!, (bool)r[4]!));
        }

        return shape;
    }

    private static string PostgresType(string sqliteType) => sqliteType.ToUpperInvariant() switch
    {
        "INTEGER" => "bigint",
        "REAL" => "double precision",
        "TEXT" => "text",
        "BLOB" => "bytea",
        var other => $"(no PostgreSQL type for SQLite's {other})",
    };

    private static string Column(string table, string column, string type, bool notNull, string? defaultValue, bool identity) =>
        $"{table}.{column} {type}{(notNull ? " NOT NULL" : "")}{(defaultValue is null ? "" : " DEFAULT " + defaultValue)}{(identity ? " IDENTITY" : "")}";

    private static string Index(string table, string name, string columns, bool unique, bool partial) =>
        $"{table} {(unique ? "UNIQUE " : "")}INDEX {name} ({columns}){(partial ? " partial" : "")}";

    private static List<object?[]> Rows(DbConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}

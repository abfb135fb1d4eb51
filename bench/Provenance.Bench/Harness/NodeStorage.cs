namespace Provenance.Bench.Harness;

/// <summary>
/// Where a <c>provenance</c> process keeps its state: the data directory's SQLite file (no settings), or a PostgreSQL
/// database given to the process as <c>Storage__Provider=postgres</c> and <c>ConnectionStrings__Provenance</c>.
/// </summary>
public sealed record NodeStorage(string Name, IReadOnlyDictionary<string, string> Environment)
{
    public static NodeStorage Sqlite { get; } = new("SQLite", new Dictionary<string, string>());

    public static NodeStorage Postgres(string connectionString) => new("PostgreSQL", new Dictionary<string, string>
    {
        ["Storage__Provider"] = "postgres",
        ["ConnectionStrings__Provenance"] = connectionString,
    });
}

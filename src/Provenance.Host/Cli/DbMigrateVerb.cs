using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>
/// <c>provenance db migrate</c>: brings the configured database's schema to this build's version, for operators who
/// start instances with <c>Storage:Migrate=false</c> and change the schema as a separate step (a Kubernetes Job, a
/// deploy pipeline). Idempotent; concurrent runs migrate once.
/// </summary>
internal static class DbMigrateVerb
{
    public static CliVerb Create() => new(
        ["db", "migrate"],
        "Apply pending schema migrations to the configured database (Storage:Provider, ConnectionStrings:Provenance) and print its version.",
        [DataOption.Option],
        Run,
        Details: "With Storage:Provider=postgres, the database named by ConnectionStrings:Provenance (ConnectionStrings__Provenance in the environment); " +
            "otherwise the SQLite file in the data directory. Safe to run again and from several places at once: each step runs once, under a lock.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var options = DataOption.StorageSettings(args);
        args.Error.WriteLine(options.Provider == StorageProvider.Postgres
            ? "migrating the PostgreSQL database (ConnectionStrings:Provenance)…"
            : $"migrating the SQLite database in {DataOption.Directory(args)}…");
        var database = DataOption.Open(args, migrate: true);
        args.Out.WriteLine($"{database.Path}: schema version {database.SchemaVersion()} (up to date)");
        return Task.FromResult(0);
    }
}

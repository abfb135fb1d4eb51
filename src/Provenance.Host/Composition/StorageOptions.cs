using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// Where the node keeps its state (<c>Storage</c> section): <c>Provider</c> = <c>sqlite</c> (default: one file in the
/// data directory) or <c>postgres</c> (the database <c>ConnectionStrings:Provenance</c> names, shared by every process);
/// <c>Migrate</c> = false leaves schema changes to <c>provenance db migrate</c>; with PostgreSQL,
/// <c>ConnectionStrings:ProvenanceReplica</c> names a hot standby that scans read from while it replays within
/// <c>ReplicaMaxLag</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The connection string's name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "Provenance";

    /// <summary>The read replica's connection string's name under <c>ConnectionStrings</c> (optional).</summary>
    public const string ReplicaConnectionStringName = "ProvenanceReplica";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Apply pending PostgreSQL schema migrations at start (SQLite always migrates its own file).</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>How far behind the primary the read replica may replay and still answer scans (beyond it, scans read the primary).</summary>
    public TimeSpan ReplicaMaxLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the section; an unknown provider is a configuration error that names the choices.</summary>
    public static StorageOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new StorageOptions();
        if (section["Provider"] is { Length: > 0 } provider)
        {
            options.Provider = provider.Trim().ToLowerInvariant() switch
            {
                "sqlite" => StorageProvider.Sqlite,
                "postgres" or "postgresql" or "npgsql" => StorageProvider.Postgres,
                _ => throw new StorageConfigurationException($"Storage:Provider is '{provider}': use 'sqlite' (the default, one file in the data directory) or 'postgres' (with ConnectionStrings:Provenance)."),
            };
        }

        if (section["Migrate"] is { Length: > 0 } migrate)
        {
            options.Migrate = bool.TryParse(migrate, out var value)
                ? value
                : throw new StorageConfigurationException($"Storage:Migrate is '{migrate}': use true (apply schema migrations at start, the default) or false (run `provenance db migrate` first).");
        }

        if (section["ReplicaMaxLag"] is { Length: > 0 } lag)
        {
            options.ReplicaMaxLag = TimeSpan.TryParse(lag, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero && value <= TimeSpan.FromHours(1)
                ? value
                : throw new StorageConfigurationException($"Storage:ReplicaMaxLag is '{lag}': use a time span between 00:00:00.1 and 01:00:00, e.g. 00:00:05.");
        }

        return options;
    }
}

using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// Where the node keeps its state (<c>Storage</c> section): <c>Provider</c> = <c>sqlite</c> (default: one file in the
/// data directory) or <c>postgres</c> (the database <c>ConnectionStrings:Provenance</c> names, shared by every process);
/// <c>Migrate</c> = false leaves schema changes to <c>provenance db migrate</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The connection string's name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "Provenance";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Apply pending PostgreSQL schema migrations at start (SQLite always migrates its own file).</summary>
    public bool Migrate { get; set; } = true;

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

        return options;
    }
}

using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>Opens the node's database as configured: the data directory's SQLite file, or the shared PostgreSQL database.</summary>
public static class DatabaseOpener
{
    public static ProvenanceDatabase Open(IConfiguration configuration, string dataDirectory, TimeProvider time, bool? migrate = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = StorageOptions.From(configuration);
        var replica = configuration.GetConnectionString(StorageOptions.ReplicaConnectionStringName);
        if (options.Provider == StorageProvider.Sqlite)
        {
            return string.IsNullOrWhiteSpace(replica)
                ? ProvenanceDatabase.Open(dataDirectory, time)
                : throw new StorageConfigurationException(
                    "ConnectionStrings:ProvenanceReplica is set but Storage:Provider is 'sqlite': a read replica is a PostgreSQL hot standby; set Storage:Provider=postgres or remove it.");
        }

        var connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StorageConfigurationException(
                "Storage:Provider is 'postgres' but ConnectionStrings:Provenance is not set: set it (ConnectionStrings__Provenance in the environment), " +
                "e.g. 'Host=db.internal;Database=provenance;Username=provenance;Password=…'.");
        }

        return ProvenanceDatabase.OpenPostgres(connectionString, time, migrate ?? options.Migrate, replica);
    }
}

using Microsoft.Data.Sqlite;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>
/// The data directory and settings of the set-up verbs: <c>--data DIR</c>, else <c>Provenance:DataDirectory</c> from the
/// same configuration <c>serve</c> reads (so <c>Provenance__DataDirectory</c> and <c>Codes__Keys__*</c> in the service's
/// environment apply to the CLI too), else <c>./data</c>.
/// </summary>
internal static class DataOption
{
    public static CliOption Option { get; } = new("data", "Data directory (SQLite database, node key, code keys); default: Provenance:DataDirectory from appsettings.json or the environment (Provenance__DataDirectory), else ./data.");

    public static string Directory(CliArguments args) =>
        Path.GetFullPath(args.Get("data") ?? args.Configuration[$"{ProvenanceOptions.Section}:DataDirectory"] ?? "./data");

    /// <summary>Opens the database, creating the directory on first use; a directory it cannot use ends the verb with what to do.</summary>
    public static ProvenanceDatabase Open(CliArguments args, bool? migrate = null)
    {
        var directory = Directory(args);
        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.CreateDirectory(directory);
                args.Error.WriteLine($"created data directory {directory}");
            }

            return DatabaseOpener.Open(args.Configuration, directory, TimeProvider.System, migrate);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or SqliteException)
        {
            throw Unusable(directory, e);
        }
        catch (StorageConfigurationException e)
        {
            throw new CliUsageException(e.Message);
        }
        catch (SchemaVersionException e)
        {
            throw new CliFailureException(e.Message);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException && StorageSettings(args).Provider == StorageProvider.Postgres)
        {
            throw new CliFailureException($"cannot use the PostgreSQL database (ConnectionStrings:Provenance): {e.Message.TrimEnd('.')}. Check that the server is up and the connection string's host, database and credentials.");
        }
    }

    /// <summary>The storage settings (<c>Storage</c> section); a wrong one ends the verb with exit code 2 naming it.</summary>
    public static StorageOptions StorageSettings(CliArguments args)
    {
        try
        {
            return StorageOptions.From(args.Configuration);
        }
        catch (StorageConfigurationException e)
        {
            throw new CliUsageException(e.Message);
        }
    }

    /// <summary>The code MAC keys: <c>Codes:Keys</c> from configuration when set (as <c>serve</c> uses them), else the data directory's key file.</summary>
    public static CodeAuthenticator Codes(CliArguments args) => new(CodeKeys(args));

    /// <summary>The code key ring that <see cref="Codes"/> signs with (inner codes derive their keys from it).</summary>
    public static CodeKeyRing CodeKeys(CliArguments args)
    {
        var options = new CodeOptions();
        args.Configuration.GetSection(CodeOptions.Section).Bind(options);
        try
        {
            return CodeKeyFile.Load(Directory(args), options);
        }
        catch (CodeKeyException e)
        {
            throw new CliFailureException(e.Message);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Unusable(Directory(args), e);
        }
    }

    /// <summary>The one-line explanation of a data directory that cannot be used; <paramref name="setting"/> says how to choose another.</summary>
    public static CliFailureException Unusable(string directory, Exception e, string setting = "pass --data DIR / set Provenance__DataDirectory") => new(
        $"cannot use data directory {directory}: {e.Message.TrimEnd('.')}. Run as the user that owns it (for the service: sudo provenance-admin, see deploy/systemd/README.md), " +
        $"or {setting} to your node's data directory.");

    /// <summary>
    /// The server secret <c>serve</c> uses: <c>Security:ServerSecret</c> from appsettings.json in the working directory or
    /// the environment (as <c>serve</c> reads them), else the data directory's file. API keys made here must hash as
    /// <c>serve</c> hashes them.
    /// </summary>
    public static ServerSecret ServerSecret(CliArguments args)
    {
        return Storage.ServerSecret.Load(Directory(args), args.Configuration[$"{SecurityOptions.Section}:ServerSecret"]);
    }

    /// <summary>The API key store of the data directory, hashing with the server secret.</summary>
    public static ApiKeyStore ApiKeys(CliArguments args) => new(Open(args), ServerSecret(args));
}

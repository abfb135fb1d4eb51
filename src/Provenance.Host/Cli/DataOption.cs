using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>The <c>--data DIR</c> option shared by the set-up verbs, and what it opens.</summary>
internal static class DataOption
{
    public static CliOption Option { get; } = new("data", "Data directory (SQLite database, node key, code keys).", "./data");

    public static string Directory(CliArguments args) => Path.GetFullPath(args.Get("data") ?? "./data");

    public static ProvenanceDatabase Open(CliArguments args) => ProvenanceDatabase.Open(Directory(args));

    public static CodeAuthenticator Codes(CliArguments args) => new(CodeKeyFile.Load(Directory(args), new CodeOptions()));

    /// <summary>
    /// The server secret <c>serve</c> uses: <c>Security:ServerSecret</c> from appsettings.json in the working directory or
    /// the environment (as <c>serve</c> reads them), else the data directory's file. API keys made here must hash as
    /// <c>serve</c> hashes them.
    /// </summary>
    public static ServerSecret ServerSecret(CliArguments args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(System.IO.Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("PROVENANCE_")
            .Build();
        return Storage.ServerSecret.Load(Directory(args), configuration[$"{SecurityOptions.Section}:ServerSecret"]);
    }

    /// <summary>The API key store of the data directory, hashing with the server secret.</summary>
    public static ApiKeyStore ApiKeys(CliArguments args) => new(Open(args), ServerSecret(args));
}

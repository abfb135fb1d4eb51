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
}

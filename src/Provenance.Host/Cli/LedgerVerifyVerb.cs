using System.Security.Cryptography;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Cli;

/// <summary><c>provenance ledger verify</c>: re-checks the embedded ledger end to end.</summary>
internal static class LedgerVerifyVerb
{
    public static CliVerb Create() => new(
        ["ledger", "verify"],
        "Re-check the embedded ledger: hash chain, entry hashes, node signatures, signed head, gateway signatures.",
        [
            DataOption.Option,
            new CliOption("db", "Verify this database file instead (e.g. a copy); default DATA/provenance.db."),
            new CliOption("node-key", "Trust this node public or private key PEM instead of the key recorded in the database (default: DATA/node-key.pem when present)."),
        ],
        Run,
        Details: "Exit code 0 when the ledger is intact, 1 when it is broken (each break is printed with its entry index).");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var dbPath = args.Get("db") ?? Path.Combine(DataOption.Directory(args), ProvenanceDatabase.FileName);
        if (!File.Exists(dbPath))
        {
            Console.Error.WriteLine($"provenance ledger verify: no database at {dbPath}.");
            return Task.FromResult(1);
        }

        var keyPath = args.Get("node-key") ?? Path.Combine(DataOption.Directory(args), NodeKey.FileName);
        using var trusted = File.Exists(keyPath) ? LoadKey(keyPath) : null;
        var started = DateTime.UtcNow;
        var result = LedgerVerifier.Verify(ProvenanceDatabase.OpenFile(dbPath), trusted, new Progress<long>(n => Console.Error.Write($"\rchecked {n:N0} entries")));
        Console.Error.Write('\r');
        var rate = result.EntriesChecked / Math.Max((DateTime.UtcNow - started).TotalSeconds, 0.001);
        if (result.IsIntact)
        {
            Console.WriteLine($"ledger intact: {result.EntriesChecked:N0} entries verified ({rate:N0}/s), node key {result.NodeKeyFingerprint}{(trusted is null ? " (as recorded in the database)" : string.Empty)}");
            return Task.FromResult(0);
        }

        Console.WriteLine($"ledger BROKEN: {result.Problems.Count} problem(s) in {result.EntriesChecked:N0} entries");
        foreach (var p in result.Problems)
        {
            Console.WriteLine($"  entry {p.Index}: {p.Kind}: {p.Message}");
        }

        return Task.FromResult(1);
    }

    private static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}

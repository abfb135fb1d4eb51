using System.Diagnostics;
using System.Security.Cryptography;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Cli;

/// <summary><c>provenance ledger verify</c>: re-checks the embedded ledger end to end, failing closed.</summary>
internal static class LedgerVerifyVerb
{
    public static CliVerb Create() => new(
        ["ledger", "verify"],
        "Re-check the embedded ledger: block chain, Merkle roots and paths, block signatures, signed head, gateway signatures, and each record against its signed gateway message.",
        [
            DataOption.Option,
            new CliOption("db", "Verify this SQLite database file instead (e.g. a copy); default DATA/provenance.db, or with Storage:Provider=postgres the database ConnectionStrings:Provenance names."),
            new CliOption("node-public-key", "The node's public key (PEM; a private key PEM works too), obtained outside the database being checked. Without it: Ledger:NodeKeyFile, or DATA/node-key.pem, when present, else the key recorded inside the database (with a warning)."),
            new CliOption("workers", "Threads checking blocks (default: one per core)."),
        ],
        Run,
        Details: "Exit code 0 when the ledger is intact, 1 when it is broken (each break is printed with its block and entry). What cannot be checked — a missing gateway message, an unregistered gateway — counts as broken.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var shared = args.Get("db") is null && DataOption.StorageSettings(args).Provider == StorageProvider.Postgres;
        var dbPath = args.Get("db") ?? Path.Combine(DataOption.Directory(args), ProvenanceDatabase.FileName);
        if (!shared && !File.Exists(dbPath))
        {
            args.Error.WriteLine($"provenance ledger verify: no database at {dbPath}.");
            return Task.FromResult(1);
        }

        var given = args.Get("node-public-key");
        if (given is not null && !File.Exists(given))
        {
            throw new CliUsageException($"--node-public-key: no file at {given}");
        }

        var keyPath = given ?? (args.Configuration[NodeKey.FileSetting] is { Length: > 0 } configured ? configured : Path.Combine(DataOption.Directory(args), NodeKey.FileName));
        using var trusted = File.Exists(keyPath) ? LoadKey(keyPath) : null;
        if (trusted is null)
        {
            args.Error.WriteLine("warning: no --node-public-key given and no node-key.pem in the data directory: trusting the node key recorded inside the database, which whoever can edit the database can replace. Pass the node's public key from a copy you trust.");
        }

        var workers = args.Get("workers") is { } w ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var clock = Stopwatch.StartNew();
        var result = LedgerVerifier.Verify(shared ? DataOption.Open(args, migrate: false) : ProvenanceDatabase.OpenFile(dbPath), trusted, new Progress<long>(n => args.Error.Write($"\rchecked {n:N0} entries")), workers);
        args.Error.Write('\r');
        var rate = result.EntriesChecked / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var source = trusted is null ? "as recorded in the database" : given is null ? $"from {keyPath}" : "as given";
        if (result.IsIntact)
        {
            args.Out.WriteLine($"ledger intact: {result.EntriesChecked:N0} entries in {result.BlocksChecked:N0} blocks verified ({rate:N0} entries/s), node key {result.NodeKeyFingerprint} ({source})");
            return Task.FromResult(0);
        }

        args.Out.WriteLine($"ledger BROKEN: {result.ProblemCount} problem(s) in {result.EntriesChecked:N0} entries, {result.BlocksChecked:N0} blocks (node key {result.NodeKeyFingerprint}, {source})");
        foreach (var p in result.Problems)
        {
            args.Out.WriteLine($"  {p}");
        }

        if (result.ProblemCount > result.Problems.Count)
        {
            args.Out.WriteLine($"  … and {result.ProblemCount - result.Problems.Count} more");
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

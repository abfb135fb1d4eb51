using System.Text.Json;
using Provenance.Api.Proofs;
using Provenance.Core.Codes;
using Provenance.Core.Proofs;
using Provenance.Storage;
using Provenance.Storage.Proofs;

namespace Provenance.Host.Cli;

/// <summary><c>provenance proof export</c>: writes a bottle's proof bundle to a file, for anyone to check offline.</summary>
internal static class ProofExportVerb
{
    public static CliVerb Create() => new(
        ["proof", "export"],
        "Write a bottle's proof bundle (issuance, gateway key and signed messages, origin evidence, ledger inclusion proof) to a JSON file.",
        [
            new CliOption("gtin", "The bottle's GTIN (14 digits).", Required: true),
            new CliOption("serial", "The bottle's serial.", Required: true),
            new CliOption("out", "The file to write.", Required: true),
            new CliOption("db", "Read this database file instead (e.g. a copy); default DATA/provenance.db."),
            DataOption.Option,
        ],
        Run,
        Details: "The bundle is the same document as GET /01/{gtin}/21/{serial}/proof. Parts that do not exist yet (a record not in a signed ledger block) are written as \"pending\". Check it with 'provenance proof verify FILE'. Exit code 0, or 1 when the bottle was not issued or not sealed.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        if (!Gtin.TryParse(args.Require("gtin"), out var gtin, out var error))
        {
            throw new CliUsageException($"--gtin: {error}.");
        }

        var serial = args.Require("serial");
        var database = args.Get("db") is { } db ? ProvenanceDatabase.OpenFile(db) : DataOption.Open(args);
        var bundle = new ProofBundleBuilder(new ProofEvidenceStore(database), TimeProvider.System).Build(gtin.Value, serial);
        if (bundle is null)
        {
            args.Error.WriteLine($"provenance proof export: bottle {gtin.Value}/{serial} was not issued or not sealed on this node.");
            return Task.FromResult(1);
        }

        var path = Path.GetFullPath(args.Require("out"));
        File.WriteAllText(path, JsonSerializer.Serialize(bundle, ProofJsonContext.Default.ProofBundle));
        args.Out.WriteLine($"proof bundle for {gtin.Value}/{serial} written to {path} (ledger: {bundle.Ledger.Status}, origin evidence: {bundle.Origin.Status})");
        return Task.FromResult(0);
    }
}

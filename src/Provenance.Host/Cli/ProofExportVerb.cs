using System.Text.Json;
using Provenance.Api.Proofs;
using Provenance.Core.Codes;
using Provenance.Core.Proofs;
using Provenance.Ingestion.Ledger;
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
        RunAsync,
        Details: "The bundle is the same document as GET /01/{gtin}/21/{serial}/proof. Parts that do not exist yet (a record not in a signed ledger block) are written as \"pending\". "
            + "For a record on Fabric the block is fetched from the peer configured as for 'serve' (Ledger:Engine=fabric and Ledger:Fabric:*, appsettings.json or environment variables); without that configuration the ledger part is \"pending\". "
            + "Check it with 'provenance proof verify FILE'. Exit code 0, or 1 when the bottle was not issued or not sealed.");

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!Gtin.TryParse(args.Require("gtin"), out var gtin, out var error))
        {
            throw new CliUsageException($"--gtin: {error}.");
        }

        var serial = args.Require("serial");
        var database = args.Get("db") is { } db ? ProvenanceDatabase.OpenFile(db) : DataOption.Open(args);
        using var fabric = OpenFabric();
        var source = fabric is null ? null : new FabricProofSource(fabric.Contract.Network);
        var bundle = await new ProofBundleBuilder(new ProofEvidenceStore(database), TimeProvider.System, source).BuildAsync(gtin.Value, serial, cancellationToken).ConfigureAwait(false);
        if (bundle is null)
        {
            args.Error.WriteLine($"provenance proof export: bottle {gtin.Value}/{serial} was not issued or not sealed on this node.");
            return 1;
        }

        var path = Path.GetFullPath(args.Require("out"));
        File.WriteAllText(path, JsonSerializer.Serialize(bundle, ProofJsonContext.Default.ProofBundle));
        args.Out.WriteLine($"proof bundle for {gtin.Value}/{serial} written to {path} (ledger: {bundle.Ledger.Status}, origin evidence: {bundle.Origin.Status})");
        return 0;
    }

    /// <summary>The Fabric peer connection when the configuration selects the Fabric engine, else null.</summary>
    private static FabricConnection? OpenFabric()
    {
        var configuration = CliConfiguration.Load();
        if (!string.Equals(configuration[FabricLedgerOptions.EngineKey], "fabric", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var options = new FabricLedgerOptions();
        configuration.GetSection(FabricLedgerOptions.Section).Bind(options);
        try
        {
            return FabricConnection.Open(options);
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliUsageException($"the Fabric settings (Ledger:Fabric:*) cannot be used: {e.Message}");
        }
    }
}

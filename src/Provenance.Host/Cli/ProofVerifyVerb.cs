using System.Text.Json;
using Provenance.Api.Proofs;
using Provenance.Core.Proofs;

namespace Provenance.Host.Cli;

/// <summary><c>provenance proof verify</c>: re-checks a proof bundle offline and names each part that fails.</summary>
internal static class ProofVerifyVerb
{
    public static CliVerb Create() => new(
        ["proof", "verify"],
        "Re-check a proof bundle offline: every signature, hash and Merkle path, and the origin attestation from the raw NMEA.",
        [
            new CliOption("node-public-key", "The node's public key (PEM) you trust, obtained outside the bundle. Without it the key inside the bundle is used, with a warning."),
            new CliOption("fabric-msp", "For a record on Fabric: a folder of the MSPs you trust (an MSP folder with cacerts/, or a folder of them, as cryptogen writes them). Every Fabric signer's certificate must chain to one of their CAs. Without it the certificates inside the bundle are used, with a warning."),
        ],
        Run,
        "FILE",
        """
        Prints one line per part (record, gateway, seal-message, issuance, gnss-messages, site, origin, and the ledger:
        "ledger" for the embedded ledger; fabric-envelope, fabric-creator-signature, fabric-endorsements,
        fabric-validation-code, fabric-data-hash, fabric-orderer-signature, fabric-record for Fabric): ok, FAILED or
        pending, and why. Exit code 0 when every part verified, 1 when any part failed (or the file is not a
        bundle), 2 when nothing failed but some evidence does not exist yet (pending: e.g. not in a signed block yet).
        Needs nothing but the file: no database, no network.
        """,
        ArgumentsDescription: "The proof bundle (JSON) to check, as written by 'proof export' or GET …/proof.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("give the bundle file: provenance proof verify FILE");
        }

        var file = args.Positionals[0];
        if (!File.Exists(file))
        {
            throw new CliUsageException($"no file at {file}");
        }

        string? trusted = null;
        if (args.Get("node-public-key") is { } keyPath)
        {
            trusted = File.Exists(keyPath) ? File.ReadAllText(keyPath) : throw new CliUsageException($"--node-public-key: no file at {keyPath}");
        }

        using var fabricTrust = LoadFabricTrust(args.Get("fabric-msp"));
        ProofBundle? bundle;
        try
        {
            bundle = JsonSerializer.Deserialize(File.ReadAllText(file), ProofJsonContext.Default.ProofBundle);
        }
        catch (JsonException e)
        {
            args.Out.WriteLine($"not a proof bundle: {e.Message}");
            return Task.FromResult(1);
        }

        if (bundle is null || bundle.Type != ProofBundle.TypeName)
        {
            args.Out.WriteLine($"not a proof bundle: \"type\" must be \"{ProofBundle.TypeName}\"");
            return Task.FromResult(1);
        }

        if (bundle.Ledger.Engine == "fabric" ? fabricTrust is null : trusted is null)
        {
            args.Error.WriteLine(bundle.Ledger.Engine == "fabric"
                ? "warning: no --fabric-msp given: the Fabric parts are not anchored; the signatures are checked with the certificates inside the bundle, which whoever made the bundle chose. Pass the MSP folders (cacerts) of the organisations you trust."
                : "warning: no --node-public-key given: trusting the node key inside the bundle, which whoever made the bundle chose. Pass the node's public key from a source you trust.");
        }

        var report = ProofVerifier.Verify(bundle, trusted, fabricTrust);
        foreach (var check in report.Checks)
        {
            var status = check.Status switch { ProofStatus.Verified => "ok", ProofStatus.Failed => "FAILED", _ => "pending" };
            args.Out.WriteLine($"{check.Part}: {status}: {check.Message}");
        }

        if (report.AnyFailed)
        {
            args.Out.WriteLine($"proof FAILED: {string.Join(", ", report.FailedParts)}");
            return Task.FromResult(1);
        }

        args.Out.WriteLine(report.AnyPending ? "proof pending: nothing failed, but some evidence does not exist yet" : $"proof verified: {bundle.Bottle.Gtin}/{bundle.Bottle.Serial}");
        return Task.FromResult(report.AnyPending ? 2 : 0);
    }

    private static Fabric.MspTrust? LoadFabricTrust(string? directory)
    {
        try
        {
            return directory is null ? null : Fabric.MspTrust.Load(directory);
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliUsageException($"--fabric-msp: {e.Message}");
        }
    }
}

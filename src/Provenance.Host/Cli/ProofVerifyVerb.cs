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
        ],
        Run,
        "FILE",
        """
        Prints one line per part (record, gateway, seal-message, issuance, gnss-messages, site, origin, ledger): ok,
        FAILED or pending, and why. Exit code 0 when every part verified, 1 when any part failed (or the file is not a
        bundle), 2 when nothing failed but some evidence does not exist yet (pending: e.g. not in a signed block yet).
        Needs nothing but the file: no database, no network.
        """);

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
        else
        {
            args.Error.WriteLine("warning: no --node-public-key given: trusting the node key inside the bundle, which whoever made the bundle chose. Pass the node's public key from a source you trust.");
        }

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

        var report = ProofVerifier.Verify(bundle, trusted);
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
}

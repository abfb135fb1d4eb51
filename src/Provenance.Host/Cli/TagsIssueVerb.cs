using System.Diagnostics;
using Provenance.Api.Producer;
using Provenance.Core.Epcis;
using Provenance.Core.Qr;
using Provenance.Host.Composition;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance tags issue</c>: issues a batch of codes and writes printer files.</summary>
internal static class TagsIssueVerb
{
    public static CliVerb Create() => new(
        ["tags", "issue"],
        "Issue a batch of tags: a printer CSV (header row, 'url' column) and one PNG and one SVG QR per code.",
        [
            new CliOption("gtin", "Product GTIN (registered with 'products add').", Required: true),
            new CliOption("lot", "Lot / batch number printed in the code (GS1 AI 10)."),
            new CliOption("count", "How many codes.", Required: true),
            new CliOption("out", "Output directory.", Required: true),
            new CliOption("domain", "Resolver host in the URLs (default: Codes:Domain from configuration, else id.example.com)."),
            new CliOption("scheme", "URL scheme.", "https"),
            new CliOption("module-size", "QR pixels per module.", "8"),
            new CliOption("ecc", "QR error correction: L, M, Q or H.", "M"),
            new CliOption("no-images", "Write only the CSV (for very large batches).", IsFlag: true),
            DataOption.Option,
        ],
        RunAsync);

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var count = args.GetInt("count", 0);
        if (count <= 0)
        {
            throw new CliUsageException("--count must be a positive integer.");
        }

        if (!Enum.TryParse<QrErrorCorrection>(args.Get("ecc"), ignoreCase: true, out var ecc))
        {
            throw new CliUsageException("--ecc must be L, M, Q or H.");
        }

        var moduleSize = args.GetInt("module-size", 8);
        if (moduleSize is < 1 or > 100)
        {
            throw new CliUsageException("--module-size must be 1..100.");
        }

        var db = DataOption.Open(args);
        var domain = args.Get("domain") ?? new CodeOptions().Domain;
        var issuer = new TagIssuer(new TagStore(db), new RegistryStore(db), DataOption.Codes(args), new LifecycleEvents(new EpcisNames(domain, args.Get("scheme")!)));
        var request = new TagIssueRequest(
            args.Require("gtin"), args.Get("lot"), count, domain, args.Get("scheme")!,
            Path.GetFullPath(args.Require("out")), !args.Has("no-images"), new QrOptions(moduleSize, ecc));
        var clock = Stopwatch.StartNew();
        var progress = new Progress<int>(n =>
            Console.Error.Write($"\rissued {n:N0} / {count:N0} ({n / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s)   "));
        try
        {
            var batch = await issuer.IssueAsync(request, progress, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine();
            Console.WriteLine($"batch {batch.BatchId}: {batch.Count} codes for {batch.Gtin} in {clock.Elapsed.TotalSeconds:N1} s");
            Console.WriteLine($"csv: {batch.CsvPath}");
            return 0;
        }
        catch (Exception e) when (e is RegistryConflictException or FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"provenance tags issue: {e.Message}");
            return 1;
        }
    }
}

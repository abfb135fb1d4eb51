using System.Diagnostics;
using System.Text.Json;
using Provenance.Api.Producer;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Nfc;
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
            new CliOption("scheme", "URL scheme (default: Codes:Scheme from configuration, else https)."),
            new CliOption("module-size", "QR pixels per module.", "8"),
            new CliOption("ecc", "QR error correction: L, M, Q or H.", "M"),
            new CliOption("no-images", "Write only the CSV (for very large batches).", IsFlag: true),
            new CliOption("inner", "Also issue each bottle's secret inner code, printed under the cap: batch-ID-inner.csv and QR images under inner/, for the under-cap printer (keep them away from the outer label printer). Its first scan records the bottle as opened.", IsFlag: true),
            new CliOption("nfc", "Also write nfc-batch-ID.json for the cap encoding station: per chip UID the diversified NTAG 424 DNA keys, the URL template and the SDM offsets (secret: mode 0600, keys never printed).", IsFlag: true),
            new CliOption("chips", "With --nfc: the cap reel's UID list, one 7-byte UID in hex a line (the inlay supplier's list)."),
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

        var chips = args.Has("nfc") ? ChipUidList.Load(args.Get("chips") ?? throw new CliUsageException("--nfc needs --chips FILE: the UID list of the cap reel.")) : null;
        if (chips is null && args.Has("chips"))
        {
            throw new CliUsageException("--chips is only used with --nfc.");
        }

        var db = DataOption.Open(args);
        var domain = args.Get("domain") ?? args.Configuration[$"{CodeOptions.Section}:Domain"] ?? new CodeOptions().Domain;
        var scheme = args.Get("scheme") ?? args.Configuration[$"{CodeOptions.Section}:Scheme"] ?? new CodeOptions().Scheme;
        var keys = DataOption.CodeKeys(args);
        var issuer = new TagIssuer(new TagStore(db), new RegistryStore(db), new CodeAuthenticator(keys), new LifecycleEvents(new EpcisNames(domain, scheme)), new InnerCodeAuthenticator(keys));
        var request = new TagIssueRequest(
            args.Require("gtin"), args.Get("lot"), count, domain, scheme,
            Path.GetFullPath(args.Require("out")), !args.Has("no-images"), new QrOptions(moduleSize, ecc)) { Inner = args.Has("inner") };
        var clock = Stopwatch.StartNew();
        var progress = new Progress<int>(n =>
            args.Error.Write($"\rissued {n:N0} / {count:N0} ({n / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s)   "));
        try
        {
            var batch = await issuer.IssueAsync(request, progress, cancellationToken).ConfigureAwait(false);
            args.Error.WriteLine();
            args.Out.WriteLine($"batch {batch.BatchId}: {batch.Count} codes for {batch.Gtin} in {clock.Elapsed.TotalSeconds:N1} s");
            args.Out.WriteLine($"csv: {batch.CsvPath}");
            if (batch.InnerCsvPath is not null)
            {
                args.Out.WriteLine($"inner csv: {batch.InnerCsvPath} (secret under-cap codes: for the under-cap printer only)");
            }

            return chips is null ? 0 : ExportNfc(args, request, batch, chips);
        }
        catch (Exception e) when (e is RegistryConflictException or FormatException or ArgumentException)
        {
            args.Error.WriteLine($"provenance tags issue: {e.Message}");
            return 1;
        }
    }

    /// <summary>Writes the encoding station's file next to the CSV; refuses to overwrite one.</summary>
    private static int ExportNfc(CliArguments args, TagIssueRequest request, IssuedBatch batch, IReadOnlyList<string> chips)
    {
        var keys = NfcKeyFile.Load(DataOption.Directory(args), new NfcOptions());
        var layout = new SunUrlLayout(request.Scheme, request.Authority, keys.CurrentKeyId);
        var file = NfcEncodingFile.Create(keys, layout, batch.BatchId, batch.Gtin, batch.Lot, chips);
        var path = Path.Combine(request.OutputDirectory!, $"nfc-batch-{batch.BatchId}.json");
        if (!SecretFile.TryCreate(path, JsonSerializer.Serialize(file, NfcJsonContext.Default.NfcEncodingFile)))
        {
            args.Error.WriteLine($"provenance tags issue: {path} already exists; move it away and run again (the codes of batch {batch.BatchId} are issued)");
            return 1;
        }

        args.Out.WriteLine($"nfc: {path} ({chips.Count} chips, key id {layout.KeyId}, URL {layout.UrlTemplate}); it holds chip keys: hand it to the encoding station only");
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using Provenance.Bench.Harness;
using QRCoder;

namespace Provenance.Bench.Suites;

/// <summary>
/// Code issuance through <c>provenance tags issue</c> (serial, MAC, URL, registry insert, CSV, PNG and SVG streamed to
/// disk) against raw QRCoder PNG encoding of the same URLs in this process; then 1,000,000 codes CSV only, with peak RSS.
/// </summary>
public sealed class IssuanceSuite : IBenchSuite
{
    private const int ModuleSize = 8;

    public string Name => "issuance";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var count = settings.Quick ? 1000 : 4000;
        var bulk = settings.Quick ? 200_000 : 1_000_000;
        using var temp = new TempDirectory("bench-issuance-");
        var cli = new ProvenanceCli(temp.Combine("data"));
        await cli.AddSiteAndProductAsync();
        var baseline = new List<double>();
        var ours = new List<double>();
        var once = new List<double>();
        double oursPeak = 0;
        for (var r = 0; r < settings.Repeats; r++)
        {
            var output = temp.Combine($"images-{r}");
            var result = await ProcessRunner.RunAsync(RepoPaths.Provenance,
                ["tags", "issue", "--data", cli.DataDirectory, "--gtin", ProvenanceCli.Gtin, "--count", count.ToString(CultureInfo.InvariantCulture), "--out", output, "--module-size", ModuleSize.ToString(CultureInfo.InvariantCulture)],
                cancellationToken: cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"tags issue failed: {result.StandardError}");
            }

            ours.Add(count / result.Elapsed.TotalSeconds);
            oursPeak = Math.Max(oursPeak, result.PeakRssMiB);
            var urls = File.ReadLines(Directory.GetFiles(output, "*.csv").Single()).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToList();
            baseline.Add(Rate(urls, RawPng));
            once.Add(Rate(urls, PngAndSvgFromOneMatrix));
            Log.Info($"issuance run {r + 1}: raw QRCoder PNG {baseline[^1]:N0}/s, tags issue {ours[^1]:N0}/s, PNG+SVG from one QR matrix {once[^1]:N0}/s");
        }

        Log.Info($"issuance: {bulk:N0} codes, CSV only");
        var csvOnly = await ProcessRunner.RunAsync(RepoPaths.Provenance,
            ["tags", "issue", "--data", cli.DataDirectory, "--gtin", ProvenanceCli.Gtin, "--count", bulk.ToString(CultureInfo.InvariantCulture), "--out", temp.Combine("bulk"), "--no-images"],
            cancellationToken: cancellationToken);
        if (csvOnly.ExitCode != 0)
        {
            throw new InvalidOperationException($"tags issue --no-images failed: {csvOnly.StandardError}");
        }

        var csvRate = bulk / csvOnly.Elapsed.TotalSeconds;
        Log.Info($"issuance: {bulk:N0} CSV codes in {csvOnly.Elapsed.TotalSeconds:N1} s ({csvRate:N0}/s), peak RSS {csvOnly.PeakRssMiB:N0} MiB");
        return
        [
            ResultRow.Paired("code issuance", "codes/s (PNG+SVG)", baseline, ours, 1.0,
                $"tags issue VmHWM {oursPeak:N0} MiB", $"{count:N0} codes, module {ModuleSize}, ECC M; baseline = PNG encoding only; ours = whole CLI process; median of {settings.Repeats}"),
            ResultRow.Paired("code issuance", "codes/s: PNG+SVG from one QR matrix (in-process, one core)", baseline, once, null, string.Empty,
                "QRCodeGenerator once per code, then PngByteQRCode and SvgQRCode; no disk, no DB"),
            new ResultRow("code issuance", $"{bulk:N0} codes CSV only: codes/s", double.NaN, csvRate, null,
                string.Create(CultureInfo.InvariantCulture, $"VmHWM {csvOnly.PeakRssMiB:N0} MiB"), $"`tags issue --no-images --count {bulk}`, {csvOnly.Elapsed.TotalSeconds:N1} s"),
            new ResultRow("memory", $"`tags issue` peak MiB, {bulk:N0} codes CSV only", double.NaN, csvOnly.PeakRssMiB, null, string.Empty, "VmHWM of the CLI process") { Limit = 200 },
        ];
    }

    private static double Rate(List<string> urls, Func<string, int> encode)
    {
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        foreach (var url in urls)
        {
            bytes += encode(url);
        }

        return bytes > 0 ? urls.Count / clock.Elapsed.TotalSeconds : 0;
    }

    private static int RawPng(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(ModuleSize, drawQuietZones: true).Length;
    }

    private static int PngAndSvgFromOneMatrix(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(ModuleSize, drawQuietZones: true).Length + new SvgQRCode(data).GetGraphic(ModuleSize).Length;
    }
}

using System.Diagnostics;
using System.Globalization;
using Provenance.Api.Producer;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Cli;

/// <summary>
/// <c>provenance tags issue</c> with images: codes are rendered on every core, yet every CSV row gets its own PNG and SVG,
/// the PNG scans to that row's URL, and the CSVs list the codes in the order the registry recorded them.
/// </summary>
public sealed class TagsIssueVerbTests
{
    [Fact]
    public async Task Every_issued_code_gets_a_png_and_an_svg_that_hold_its_own_url()
    {
        await using var node = new ProvenanceNode();
        await node.CliAsync("products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "Test Baijiu 53%", "--brand", "Provenance Distillery");
        var output = Path.Combine(node.WorkDirectory, "labels");

        await node.CliAsync("tags", "issue", "--gtin", ProvenanceNode.Gtin, "--count", "600", "--out", output, "--module-size", "4");

        var rows = File.ReadLines(Directory.GetFiles(output, "*.csv").Single()).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(600, rows.Count);
        Assert.Equal(600, rows.Select(r => r[2]).Distinct().Count());
        Assert.Equal(600, Directory.GetFiles(output, "*.png").Length);
        Assert.Equal(600, Directory.GetFiles(output, "*.svg").Length);
        foreach (var row in new[] { rows[0], rows[299], rows[^1] })
        {
            var stem = Path.Combine(output, $"{row[1]}-{row[2]}");
            Assert.Equal(row[0], await DecodeAsync(stem + ".png"));
            Assert.Contains("<svg", await File.ReadAllTextAsync(stem + ".svg"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Over_two_registry_chunks_the_csvs_keep_issue_order_and_every_outer_png_decodes_to_its_own_row()
    {
        await using var node = new ProvenanceNode();
        await node.CliAsync("products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "Test Baijiu 53%", "--brand", "Provenance Distillery");
        var output = Path.Combine(node.WorkDirectory, "labels");
        const int count = TagIssuer.ChunkSize + 300;

        await node.CliAsync("tags", "issue", "--gtin", ProvenanceNode.Gtin, "--lot", "L9", "--count", count.ToString(CultureInfo.InvariantCulture), "--out", output, "--module-size", "2", "--inner");

        var rows = IssuedLabels.Rows(output);
        var innerRows = IssuedLabels.InnerRows(output);
        var events = Path.Combine(node.WorkDirectory, "events.json");
        await node.CliAsync("epcis", "export", "--lot", $"{ProvenanceNode.Gtin}/L9", "--out", events);
        var registered = IssuedLabels.Commissioned(events);

        // The registry's order (the commissioning events, one per chunk, in the order they were recorded) is the printers' order.
        Assert.Equal(2, registered.Count);
        Assert.Equal(registered.SelectMany(e => e), rows.Select(r => r[2]));
        Assert.Equal(rows.Select(r => r[2]), innerRows.Select(r => r[2]));
        Assert.Equal(count, Directory.GetFiles(output, "*.svg").Length);
        Assert.Equal(count, Directory.GetFiles(Path.Combine(output, TagIssuer.InnerDirectory), "*.png").Length);
        Assert.Equal(rows.Select(r => r[0]), await DecodeAllAsync(rows.Select(r => Path.Combine(output, $"{r[1]}-{r[2]}.png")).ToList()));
        var sample = Enumerable.Range(0, count).Where(i => i % 50 == 0 || i == TagIssuer.ChunkSize).ToList();
        Assert.Equal(sample.Select(i => innerRows[i][0]), await DecodeAllAsync(sample.Select(i => Path.Combine(output, TagIssuer.InnerDirectory, $"{innerRows[i][1]}-{innerRows[i][2]}.png")).ToList()));
    }

    /// <summary>Decodes PNGs with as few zbarimg processes as the command line allows; one line per decoded code, in file order.</summary>
    private static async Task<List<string>> DecodeAllAsync(IReadOnlyList<string> pngs)
    {
        var decoded = new List<string>();
        foreach (var group in pngs.Chunk(400))
        {
            using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", .. group]) { RedirectStandardOutput = true })!;
            var text = await zbar.StandardOutput.ReadToEndAsync();
            await zbar.WaitForExitAsync();
            decoded.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return decoded;
    }

    private static async Task<string> DecodeAsync(string png)
    {
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", png]) { RedirectStandardOutput = true })!;
        var text = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        return text.TrimEnd('\n');
    }
}

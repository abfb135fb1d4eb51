using System.Diagnostics;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Cli;

/// <summary><c>provenance tags issue</c> with images: codes are rendered on every core, yet every CSV row gets its own PNG and SVG, and the PNG scans to that row's URL.</summary>
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

    private static async Task<string> DecodeAsync(string png)
    {
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", png]) { RedirectStandardOutput = true })!;
        var text = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        return text.TrimEnd('\n');
    }
}

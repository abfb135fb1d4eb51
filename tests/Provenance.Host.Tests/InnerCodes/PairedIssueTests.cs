using System.Diagnostics;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.InnerCodes;

/// <summary><c>tags issue --inner</c>: two sets of printer files, one per printer, whose codes name the same bottles and verify each as its own kind only.</summary>
[Collection(InnerCodeCollection.Name)]
public sealed class PairedIssueTests(InnerCodeNode n)
{
    [Fact]
    public async Task A_paired_issue_writes_separate_outer_and_inner_files_whose_qr_codes_hold_their_own_urls()
    {
        var outerImages = Directory.GetFiles(n.LabelDirectory, "*.png");
        var innerImages = Directory.GetFiles(Path.Combine(n.LabelDirectory, "inner"), "*.png");

        Assert.Equal(InnerCodeNode.Count, outerImages.Length);
        Assert.Equal(InnerCodeNode.Count, innerImages.Length);
        Assert.Equal(InnerCodeNode.Count, Directory.GetFiles(Path.Combine(n.LabelDirectory, "inner"), "*.svg").Length);
        Assert.Contains("inner csv:", n.IssueOutput, StringComparison.Ordinal);
        Assert.Equal("url,gtin,serial,lot", File.ReadLines(Directory.GetFiles(n.LabelDirectory, "batch-*-inner.csv").Single()).First());
        for (var i = 0; i < 3; i++)
        {
            var stem = $"{DigitalLink.Parse(n.Outer[i]).Gtin!.Value.Value}-{DigitalLink.Parse(n.Outer[i]).Serial}";
            Assert.Equal(n.Outer[i], await DecodeAsync(Path.Combine(n.LabelDirectory, stem + ".png")));
            Assert.Equal(n.Inner[i], await DecodeAsync(Path.Combine(n.LabelDirectory, "inner", stem + ".png")));
            Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(n.LabelDirectory, "inner", stem + ".svg")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_inner_code_names_the_same_bottle_as_its_outer_code_and_verifies_only_as_an_inner_code()
    {
        var outer = new CodeAuthenticator(n.Keys);
        var inner = new InnerCodeAuthenticator(n.Keys);

        Assert.Equal(n.Outer.Count, n.Inner.Count);
        for (var i = 0; i < n.Outer.Count; i++)
        {
            var o = DigitalLink.Parse(n.Outer[i]);
            var p = DigitalLink.Parse(n.Inner[i]);
            Assert.Equal(o.CanonicalPath, p.CanonicalPath);
            Assert.StartsWith($"http://{n.Node.Authority}/in/01/", n.Inner[i], StringComparison.Ordinal);
            Assert.NotEqual(o.Attribute("m"), p.Attribute("m"));
            Assert.True(outer.Verify(o).IsAuthentic);
            Assert.True(inner.Verify(p).IsAuthentic);
            Assert.False(outer.Verify(p).IsAuthentic);
            Assert.False(inner.Verify(o with { PathPrefix = InnerCodeAuthenticator.PathSegment }).IsAuthentic);
        }
    }

    [Fact]
    public async Task The_producer_api_exports_the_same_inner_codes_as_their_own_csv_and_zip()
    {
        var batch = Path.GetFileName(Directory.GetFiles(n.LabelDirectory, "batch-*-inner.csv").Single()).Split('-')[1];

        using var csv = await ApiCalls.SendAsync(n.Node, HttpMethod.Get, $"/api/batches/{batch}/inner-labels.csv", n.ProducerKey);
        using var zip = await ApiCalls.SendAsync(n.Node, HttpMethod.Get, $"/api/batches/{batch}/inner-labels.zip", n.ProducerKey);

        Assert.Equal("batch-" + batch + "-inner.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var exported = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => DigitalLink.Parse(l.Split(',')[0])).ToList();
        Assert.Equal(
            n.Inner.Select(u => DigitalLink.Parse(u)).Select(l => $"{l.PathPrefix}{l.CanonicalPath}?m={l.Attribute("m")}").Order(StringComparer.Ordinal),
            exported.Select(l => $"{l.PathPrefix}{l.CanonicalPath}?m={l.Attribute("m")}").Order(StringComparer.Ordinal));
        using var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Equal(2 * InnerCodeNode.Count, archive.Entries.Count);
    }

    private static async Task<string> DecodeAsync(string png)
    {
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", png]) { RedirectStandardOutput = true })!;
        var text = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        return text.TrimEnd('\n');
    }
}

using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Cli;

/// <summary>
/// <c>provenance tags issue</c> stopped half-way (Ctrl+C cancels its token): a code reaches a printer file only once its
/// chunk is committed to the registry, so whatever was written names registered codes only, and no image is left
/// without its CSV row.
/// </summary>
public sealed class TagsIssueCancelTests
{
    [Fact]
    public async Task A_cancelled_issue_leaves_no_printer_file_naming_an_unregistered_code()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        var output = dir.Combine("labels");
        Assert.Equal(0, await CommandLine.RunAsync(["products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "Test Baijiu 53%", "--brand", "Provenance Distillery", "--data", data], new StringWriter(), new StringWriter()));
        using var stop = new CancellationTokenSource();

        // The first progress line (1,000 codes issued) is the Ctrl+C: the run is stopped inside its first chunk.
        var cancelled = await Record.ExceptionAsync(() => CommandLine.RunAsync(
            ["tags", "issue", "--gtin", ProvenanceNode.Gtin, "--lot", "L1", "--count", "200000", "--out", output, "--module-size", "1", "--inner", "--data", data],
            new StringWriter(), new CancelOnWrite("issued", stop), cancellationToken: stop.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(cancelled);
        var rows = IssuedLabels.Rows(output);
        var innerRows = IssuedLabels.InnerRows(output);
        var events = dir.Combine("events.json");
        Assert.Equal(0, await CommandLine.RunAsync(["epcis", "export", "--lot", $"{ProvenanceNode.Gtin}/L1", "--out", events, "--data", data], new StringWriter(), new StringWriter()));
        var registered = IssuedLabels.Commissioned(events).SelectMany(e => e).ToHashSet(StringComparer.Ordinal);

        Assert.InRange(rows.Count, 1_000, 199_999);
        Assert.All(rows, r => Assert.Equal(4, r.Length));
        Assert.Subset(registered, rows.Select(r => r[2]).ToHashSet(StringComparer.Ordinal));
        Assert.InRange(innerRows.Count, rows.Count - 1, rows.Count); // stopped between a bottle's two rows at most
        Assert.Equal(rows.Select(r => r[2]).Take(innerRows.Count), innerRows.Select(r => r[2]));
        var labelled = rows.Select(r => $"{r[1]}-{r[2]}").ToHashSet(StringComparer.Ordinal);
        foreach (var image in Directory.GetFiles(output, "*.png").Concat(Directory.GetFiles(output, "*.svg")).Concat(Directory.GetFiles(Path.Combine(output, "inner"))))
        {
            Assert.Contains(Path.GetFileNameWithoutExtension(image), labelled);
        }
    }

    /// <summary>A stderr that cancels <paramref name="stop"/> the first time <paramref name="text"/> is written to it.</summary>
    private sealed class CancelOnWrite(string text, CancellationTokenSource stop) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true)
            {
                stop.Cancel();
            }
        }
    }
}

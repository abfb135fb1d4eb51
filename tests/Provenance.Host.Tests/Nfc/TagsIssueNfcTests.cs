using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Nfc;

/// <summary><c>tags issue --nfc</c> refuses a bad reel UID list before issuing anything, saying what to fix.</summary>
public sealed class TagsIssueNfcTests
{
    [Theory]
    [InlineData("04A1B2C3D4E5\n", "line 1: '04A1B2C3D4E5' is not a 7-byte NTAG 424 DNA UID")]
    [InlineData("# reel\n04A1B2C3D4E5F6\n04a1b2c3d4e5f6\n", "line 3: UID 04A1B2C3D4E5F6 is listed twice")]
    [InlineData("04A1B2C3D4E5ZZ\n", "is not a 7-byte NTAG 424 DNA UID")]
    [InlineData("# nothing\n\n", "lists no UIDs")]
    public async Task A_bad_uid_list_exits_2_naming_the_line_and_issues_nothing(string content, string message)
    {
        using var dir = new TempDirectory();
        var chips = Path.Combine(dir.Path, "reel.txt");
        await File.WriteAllTextAsync(chips, content);
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["tags", "issue", "--gtin", ProvenanceNode.Gtin, "--count", "2", "--out", dir.Combine("out"), "--nfc", "--chips", chips, "--data", dir.Combine("data")], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("data")));
    }

    [Theory]
    [InlineData("--nfc", "--nfc needs --chips FILE")]
    [InlineData("--chips", "--chips is only used with --nfc")]
    public async Task Nfc_and_chips_go_together(string option, string message)
    {
        using var dir = new TempDirectory();
        string[] extra = option == "--nfc" ? ["--nfc"] : ["--chips", dir.Combine("reel.txt")];
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["tags", "issue", "--gtin", ProvenanceNode.Gtin, "--count", "2", "--out", dir.Combine("out"), "--data", dir.Combine("data"), .. extra], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }
}

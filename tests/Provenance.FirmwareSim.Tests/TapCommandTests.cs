using System.Text.Json;
using Provenance.Core.Nfc;
using Provenance.Core.Signing;
using Provenance.FirmwareSim.Cli;

namespace Provenance.FirmwareSim.Tests;

/// <summary><c>firmware-sim tap</c> and <c>--nfc-chips</c>: emulated taps of caps from a cap encoding file.</summary>
public sealed class TapCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwsim-tap-").FullName;
    private readonly NfcKeyRing _keys = new(new Dictionary<int, byte[]> { [4] = NfcKeyRing.NewMasterKey() }, 4);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Successive_taps_print_urls_that_verify_with_rising_counters_and_the_chosen_tamper_state()
    {
        var file = EncodingFile("04AA000000000A", "04AA000000000B");
        var stdout = new StringWriter();

        var code = TapCommand.Run(["--nfc-chips", file, "--chip", "2", "--counter", "7", "--count", "3", "--tamper", "OO"], stdout, new StringWriter());

        Assert.Equal(0, code);
        var urls = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, urls.Length);
        var verifier = new SunVerifier(_keys);
        for (var i = 0; i < urls.Length; i++)
        {
            var url = new Uri(urls[i]);
            Assert.Equal("id.example.com", url.Host);
            var verification = verifier.Verify(url.AbsolutePath.Split('/')[^1], url.Query);
            Assert.Equal(SunStatus.Authentic, verification.Status);
            Assert.Equal(("04AA000000000B", 7 + i, TamperStatus.Open), (verification.Uid, verification.ReadCounter, verification.Tamper));
        }
    }

    [Fact]
    public void A_chip_chosen_by_uid_taps_with_its_own_keys()
    {
        var file = EncodingFile("04AA000000000A", "04AA000000000B");
        var stdout = new StringWriter();

        Assert.Equal(0, TapCommand.Run(["--nfc-chips", file, "--uid", "04aa000000000a", "--tamper", "none"], stdout, new StringWriter()));

        var url = new Uri(stdout.ToString().Trim());
        var verification = new SunVerifier(_keys).Verify("4", url.Query);
        Assert.Equal(("04AA000000000A", 1, TamperStatus.Absent), (verification.Uid, verification.ReadCounter, verification.Tamper));
    }

    [Theory]
    [InlineData("--tamper", "XX", "--tamper: must be CC, OC, OO, II or none")]
    [InlineData("--chip", "3", "--chip: must be a whole number from 1 to 2")]
    [InlineData("--uid", "04FF000000000A", "--uid: 04FF000000000A is not in the file")]
    [InlineData("--counter", "16777216", "--counter: must be a whole number from 0 to 16777215")]
    [InlineData("--colour", "red", "--colour: unknown option")]
    public void Bad_arguments_exit_2_naming_the_option(string option, string value, string message)
    {
        var stderr = new StringWriter();

        Assert.Equal(2, TapCommand.Run(["--nfc-chips", EncodingFile("04AA000000000A", "04AA000000000B"), option, value], new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_encoding_file_is_refused()
    {
        var path = Path.Combine(_directory, "other.json");
        File.WriteAllText(path, "{\"format\":\"something else\"}");
        var stderr = new StringWriter();

        Assert.Equal(2, TapCommand.Run(["--nfc-chips", path], new StringWriter(), stderr));
        Assert.Contains("is not a provenance-nfc-encoding/1 file", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateway_command_line_pairs_codes_with_the_chips_of_the_file_in_order()
    {
        using var key = GatewayKeys.Create();
        var keyPath = Path.Combine(_directory, "gw.pem");
        File.WriteAllText(keyPath, GatewayKeys.ExportPrivateKeyPem(key));

        var options = CommandLine.Parse(["--key", keyPath, "--nfc-chips", EncodingFile("04AA000000000A", "04AA000000000B")]);

        Assert.Equal(["04AA000000000A", "04AA000000000B"], options.NfcUids);
        options.Key.Dispose();
    }

    private string EncodingFile(params string[] uids)
    {
        var path = Path.Combine(_directory, $"nfc-{Guid.NewGuid():N}.json");
        var file = NfcEncodingFile.Create(_keys, new SunUrlLayout("https", "id.example.com", 4), 1, "09506000134352", "L1", uids);
        File.WriteAllText(path, JsonSerializer.Serialize(file, NfcJsonContext.Default.NfcEncodingFile));
        return path;
    }
}

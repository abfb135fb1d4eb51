using Provenance.Core.Signing;
using Provenance.FirmwareSim.Cli;

namespace Provenance.FirmwareSim.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwsim-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Pkcs8Key()
    {
        using var key = GatewayKeys.Create();
        return Write("key.pem", GatewayKeys.ExportPrivateKeyPem(key));
    }

    [Fact]
    public void Parses_every_kind_of_value_and_reads_a_csv_code_list_by_its_url_column()
    {
        var codes = Write("codes.csv", "serial,url,note\nA1,https://id.example.com/01/1/21/A1?k=1&m=x,\"a, quoted\"\nA2,\"https://id.example.com/01/1/21/A2?k=1&m=y\",\n");
        using var sec1 = GatewayKeys.Create();
        var key = Write("sec1.pem", sec1.ExportECPrivateKeyPem());
        var options = CommandLine.Parse([
            "--key", key, "--codes", codes, "--rate=250", "--batch", "7", "--count", "1", "--gnss-interval", "500ms",
            "--duration", "2m", "--gateway", "gw-9", "--off-site", "--nfc", "--bd-talker", "bd"]);
        Assert.Equal(["https://id.example.com/01/1/21/A1?k=1&m=x", "https://id.example.com/01/1/21/A2?k=1&m=y"], options.Codes);
        Assert.Equal(250, options.Rate);
        Assert.Equal(7, options.Batch);
        Assert.Equal(1, options.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.GnssInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal("gw-9", options.GatewayId);
        Assert.Equal("BD", options.BeiDouTalker);
        Assert.True(options.OffSite && options.Nfc && !options.Frozen);
        Assert.Equal(256, options.Key.KeySize);
    }

    [Fact]
    public void A_plain_text_file_of_urls_is_a_code_list()
    {
        var codes = Write("codes.txt", "# batch 1\nhttps://id.example.com/01/1/21/B1?k=1&m=x\n\nhttps://id.example.com/01/1/21/B2?k=1&m=y\n");
        var options = CommandLine.Parse(["--key", Pkcs8Key(), "--codes", codes]);
        Assert.Equal(2, options.Codes.Count);
    }

    [Theory]
    [InlineData("rate", "--rate", "fast")]
    [InlineData("rate", "--rate", "-1")]
    [InlineData("batch", "--batch", "0")]
    [InlineData("gnss-interval", "--gnss-interval", "soon")]
    [InlineData("gateway", "--gateway", "Not Valid")]
    [InlineData("port", "--port", "70000")]
    [InlineData("bogus", "--bogus", "1")]
    public void A_bad_value_is_reported_with_the_option_name(string option, string name, string value)
    {
        var error = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--key", Pkcs8Key(), name, value]));
        Assert.Equal(option, error.Option);
        Assert.StartsWith($"--{option}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_or_a_key_that_is_not_p256_names_the_key_option()
    {
        Assert.Equal("key", Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--rate", "5"])).Option);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var rsaKey = Write("rsa.pem", rsa.ExportPkcs8PrivateKeyPem());
        Assert.Equal("key", Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--key", rsaKey])).Option);
    }

    [Fact]
    public void Help_lists_every_option_with_its_default()
    {
        var help = CommandLine.Help();
        foreach (var option in new[] { "--rate", "--batch", "--count", "--key", "--queue", "--acked", "--gnss-interval", "--duration", "--off-site", "--frozen", "--simulation-mode", "--replay", "--forge", "--corrupt-nmea", "--poor-hdop", "--few-satellites", "--no-beidou", "--jump", "--stale-fix", "--nfc", "--seal-type", "--site", "--gateway", "--line", "--host", "--port", "--username", "--password" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        Assert.Contains("(default: 10)", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_come_from_a_response_file_and_later_options_win_in_command_line_order()
    {
        var rsp = Write("gateway.rsp", $"--key {Pkcs8Key()}\n--gateway gw-7 --rate 3\n--port 1884\n");

        var options = CommandLine.Parse([$"@{rsp}", "--batch", "2"]);

        Assert.Equal(("gw-7", 3.0, 1884, 2), (options.GatewayId, options.Rate, options.Port, options.Batch));
        Assert.Equal("port", Assert.Throws<CommandLineException>(() => CommandLine.Parse([$"@{rsp}", "--port", "1"])).Option);
    }
}

using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Tests.Support;

namespace Provenance.Core.Tests.Codes;

/// <summary>Our Digital Link URIs checked by an independent implementation: the digital-link.js npm package.</summary>
public sealed class DigitalLinkJsCrossCheckTests
{
    private static readonly string Validator = Path.Combine(ExternalTool.RepositoryRoot, "tests", "js", "validate-digital-link.mjs");

    [Fact]
    public async Task Every_uri_we_build_is_valid_for_digital_link_js()
    {
        var codes = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = CodeKeyRing.NewKey() }, 1));
        var random = new Random(42);
        // Every CSET 82 symbol but '"': digital-link.js's grammar wants a raw '"' (its DoubleQuote rule), which RFC 3986
        // forbids in a URI, so we percent-encode it as the GS1 Digital Link standard's table says; see the test below.
        const string Awkward = "!%&'()*+,-./:;<=>?_abcXYZ019";
        var urls = new List<string>();
        foreach (var gtin in new[] { "09506000134352", "4006381333931", "036000291452", "96385074" })
        {
            for (var i = 0; i < 50; i++)
            {
                var lot = new string(Enumerable.Range(0, random.Next(1, 21)).Select(_ => Awkward[random.Next(Awkward.Length)]).ToArray());
                urls.Add(codes.Sign(DigitalLink.ForTag("id.example.com", Gtin.Parse(gtin), Serial.Generate(), i % 3 == 0 ? null : lot)));
            }
        }

        var verdicts = await ValidateAsync(urls);

        Assert.All(verdicts, v => Assert.True(v.Valid, $"{v.Url}: {v.Error}"));
        Assert.Equal(urls.Count, verdicts.Count);
    }

    [Fact]
    public async Task Digital_link_js_agrees_on_what_is_invalid()
    {
        string[] invalid =
        [
            "https://id.example.com/01/09506000134353/21/ABC",
            "https://id.example.com/01/09506000134352/21/ABC/10/L1",
        ];

        var verdicts = await ValidateAsync(invalid);

        Assert.All(verdicts, v => Assert.False(v.Valid, $"digital-link.js accepted {v.Url}"));
        Assert.All(invalid, uri => Assert.False(DigitalLink.TryParse(uri, out _, out _)));
    }

    [Fact]
    public void A_raw_double_quote_as_digital_link_js_writes_it_parses_to_the_same_value_as_the_escaped_one()
    {
        var raw = DigitalLink.Parse("https://id.example.com/01/09506000134352/10/A\"B/21/X1");
        var escaped = DigitalLink.Parse("https://id.example.com/01/09506000134352/10/A%22B/21/X1");

        Assert.Equal("A\"B", raw.Lot);
        Assert.Equal(raw.CanonicalPath, escaped.CanonicalPath);
    }

    private static async Task<List<Verdict>> ValidateAsync(IReadOnlyList<string> urls)
    {
        Assert.True(Directory.Exists(Path.Combine(ExternalTool.RepositoryRoot, "tests", "js", "node_modules", "digital-link.js")),
            "digital-link.js is not installed: run 'npm ci' in tests/js (./test.sh does it)");
        var (code, stdout, stderr) = await ExternalTool.RunAsync("node", [Validator], string.Join('\n', urls) + "\n");
        Assert.True(code == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<Verdict>(l, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)
            .ToList();
    }

    private sealed record Verdict(string Url, bool Valid, string? Error);
}

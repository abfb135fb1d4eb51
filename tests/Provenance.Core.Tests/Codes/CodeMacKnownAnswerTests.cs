using System.Globalization;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Tests.Support;

namespace Provenance.Core.Tests.Codes;

/// <summary>
/// Known-answer vectors for the code MAC (<c>tests/vectors/code-mac-vectors.json</c>, computed by an independent
/// Python script): a change to the canonical path, the escaping or the MAC that would void labels already printed
/// fails here.
/// </summary>
public sealed class CodeMacKnownAnswerTests
{
    private static readonly JsonElement File = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(ExternalTool.RepositoryRoot, "tests", "vectors", "code-mac-vectors.json"))).RootElement;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var vector in File.GetProperty("vectors").EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Signing_gives_the_known_canonical_path_and_mac_and_the_printed_uri_verifies(string name)
    {
        var vector = File.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var keyId = vector.GetProperty("keyId").GetInt32();
        var codes = new CodeAuthenticator(new CodeKeyRing(Keys(), keyId));
        var link = DigitalLink.ForTag(File.GetProperty("domain").GetString()!, Gtin.Parse(vector.GetProperty("gtin").GetString()!), vector.GetProperty("serial").GetString()!, vector.GetProperty("lot").GetString());

        Assert.Equal(vector.GetProperty("canonicalPath").GetString(), link.CanonicalPath);
        Assert.Equal(vector.GetProperty("uri").GetString(), codes.Sign(link));
        Assert.Equal(CodeVerificationStatus.Authentic, codes.Verify(vector.GetProperty("uri").GetString()!).Status);
    }

    [Fact]
    public void The_vectors_cover_both_keys_gtin_lengths_and_escaping()
    {
        var vectors = File.GetProperty("vectors").EnumerateArray().ToList();

        Assert.True(vectors.Count >= 12);
        Assert.Equal([1, 2], vectors.Select(v => v.GetProperty("keyId").GetInt32()).Distinct().Order());
        Assert.Equal([8, 12, 13, 14], vectors.Select(v => v.GetProperty("gtin").GetString()!.Length).Distinct().Order());
        Assert.Contains(vectors, v => v.GetProperty("canonicalPath").GetString()!.Contains("%22", StringComparison.Ordinal));
    }

    private static Dictionary<int, byte[]> Keys() =>
        File.GetProperty("keys").EnumerateObject().ToDictionary(k => int.Parse(k.Name, CultureInfo.InvariantCulture), k => Convert.FromHexString(k.Value.GetString()!));
}

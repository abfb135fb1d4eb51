using System.Globalization;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Tests.Support;

namespace Provenance.Core.Tests.Codes;

/// <summary>
/// Known-answer vectors for the inner (under-cap) code MAC (<c>tests/vectors/inner-code-mac-vectors.json</c>, computed by
/// an independent Python script with HKDF written out by hand): a change to the key derivation, the path form or the MAC
/// that would void inner codes already printed fails here.
/// </summary>
public sealed class InnerCodeMacKnownAnswerTests
{
    private static readonly JsonElement File = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(ExternalTool.RepositoryRoot, "tests", "vectors", "inner-code-mac-vectors.json"))).RootElement;

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
    public void Signing_gives_the_known_inner_uri_and_it_verifies_only_as_an_inner_code(string name)
    {
        var vector = File.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var ring = new CodeKeyRing(Keys(), vector.GetProperty("keyId").GetInt32());
        var inner = new InnerCodeAuthenticator(ring);
        var outer = new CodeAuthenticator(ring);
        var link = DigitalLink.ForTag(File.GetProperty("domain").GetString()!, Gtin.Parse(vector.GetProperty("gtin").GetString()!), vector.GetProperty("serial").GetString()!, vector.GetProperty("lot").GetString());
        var uri = vector.GetProperty("uri").GetString()!;

        Assert.Equal(uri, inner.Sign(link));
        Assert.Equal(CodeVerificationStatus.Authentic, inner.Verify(uri).Status);
        Assert.Equal(CodeVerificationStatus.BadMac, outer.Verify(uri).Status);
        Assert.NotEqual(vector.GetProperty("outerMac").GetString(), vector.GetProperty("mac").GetString());
        Assert.EndsWith("m=" + vector.GetProperty("outerMac").GetString(), outer.Sign(link), StringComparison.Ordinal);
    }

    [Fact]
    public void The_inner_vectors_cover_both_keys_and_escaping()
    {
        var vectors = File.GetProperty("vectors").EnumerateArray().ToList();

        Assert.Equal([1, 2], vectors.Select(v => v.GetProperty("keyId").GetInt32()).Distinct().Order());
        Assert.Contains(vectors, v => v.GetProperty("canonicalPath").GetString()!.Contains("%22", StringComparison.Ordinal));
        Assert.Equal(InnerCodeAuthenticator.KeyInfo, File.GetProperty("info").GetString());
    }

    private static Dictionary<int, byte[]> Keys() =>
        File.GetProperty("keys").EnumerateObject().ToDictionary(k => int.Parse(k.Name, CultureInfo.InvariantCulture), k => Convert.FromHexString(k.Value.GetString()!));
}

using System.Text.Json;
using Provenance.Core.Signing;
using Provenance.Core.Tests.Support;

namespace Provenance.Core.Tests.Signing;

/// <summary>
/// The gateway JWS rule set, as one file of vectors that the chaincode's npm tests run too
/// (<c>fabric-network/chaincode/test/jws-vectors.test.ts</c>): both verifiers must reach the same verdict on each.
/// </summary>
public sealed class JwsVectorTests
{
    private static readonly string VectorFile = Path.Combine(ExternalTool.RepositoryRoot, "tests", "vectors", "jws-vectors.json");

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Load())
        {
            data.Add(vector.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_verifier_reaches_the_vectors_verdict(string name)
    {
        var vector = Load().Single(v => v.Name == name);

        Assert.Equal(vector.Expect, Verdict(vector.Jws, vector.PublicKeyPem));
    }

    [Fact]
    public void The_vector_file_covers_every_verdict()
    {
        var counts = Load().GroupBy(v => v.Expect).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(["bad_key", "bad_signature", "malformed", "unsupported_alg", "valid"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.True(counts.Values.Sum() >= 70, $"only {counts.Values.Sum()} vectors");
    }

    private static string Verdict(string jws, string publicKeyPem)
    {
        System.Security.Cryptography.ECDsa key;
        try
        {
            key = GatewayKeys.ImportPublicKeyPem(publicKeyPem);
        }
        catch (ArgumentException)
        {
            return "bad_key";
        }

        using (key)
        {
            if (!CompactJws.TryDecode(jws, out var token, out var failure, out _))
            {
                return failure switch
                {
                    JwsFailure.UnsupportedAlgorithm => "unsupported_alg",
                    JwsFailure.BadSignature => "bad_signature",
                    _ => "malformed",
                };
            }

            return CompactJws.Verify(token!, key) ? "valid" : "bad_signature";
        }
    }

    private static List<Vector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(VectorFile));
        return document.RootElement.GetProperty("vectors").EnumerateArray()
            .Select(v => new Vector(v.GetProperty("name").GetString()!, v.GetProperty("jws").GetString()!, v.GetProperty("publicKeyPem").GetString()!, v.GetProperty("expect").GetString()!))
            .ToList();
    }

    private sealed record Vector(string Name, string Jws, string PublicKeyPem, string Expect);
}

using System.Text;
using System.Text.Json;
using Provenance.Api.Alerts;

namespace Provenance.Api.Tests.Alerts;

/// <summary>
/// Known-answer vectors for the webhook signature (<c>webhook-signature-vectors.json</c>, computed with
/// <c>openssl dgst -sha256 -hmac</c>): what every receiver's verifier was written against must not drift.
/// </summary>
public sealed class WebhookSignatureVectorTests
{
    public static TheoryData<string, long, string, string> Vectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Alerts", "webhook-signature-vectors.json")));
        var data = new TheoryData<string, long, string, string>();
        foreach (var v in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.GetProperty("secret").GetString()!, v.GetProperty("timestamp").GetInt64(), v.GetProperty("body").GetString()!, v.GetProperty("header").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_signature_of_each_vector_is_exactly_the_recorded_header_and_verifies(string secret, long timestamp, string body, string header)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(header, WebhookSignature.Sign(secret, timestamp, bytes));
        Assert.True(WebhookSignature.Verify(secret, header, bytes, DateTimeOffset.FromUnixTimeSeconds(timestamp), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_vector_file_holds_at_least_four_vectors_including_unicode_and_an_empty_body()
    {
        var vectors = Vectors();

        Assert.True(vectors.Count() >= 4);
        Assert.Contains(vectors, v => (string)v[2] == string.Empty);
        Assert.Contains(vectors, v => ((string)v[0]).Any(c => c > 127));
    }
}

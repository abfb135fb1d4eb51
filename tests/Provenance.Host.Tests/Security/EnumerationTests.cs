using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>A scripted enumeration of random serials finds nothing and is throttled, while a legitimate client still scans.</summary>
public sealed class EnumerationTests
{
    [Fact]
    public async Task Enumerating_100000_random_serials_finds_none_and_is_throttled_while_a_legitimate_client_still_scans()
    {
        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(2);
        await node.StartAsync(ProvenanceNode.TrustLoopbackProxy, "--Api:PublicScansPerMinute=120");
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var verdicts = new ConcurrentDictionary<string, int>();
        var retryAfterSeen = 0;
        const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

        await Parallel.ForEachAsync(Enumerable.Range(0, 100_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            var serial = string.Concat(RandomNumberGenerator.GetItems<char>(Alphabet, 12));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{ProvenanceNode.Gtin}/10/L1/21/{serial}?k=1&m={string.Concat(RandomNumberGenerator.GetItems<char>(Alphabet, 16))}");
            request.Headers.Add("X-Forwarded-For", "203.0.113.66");
            using var response = await node.Http.SendAsync(request, ct);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var verdict = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("verdict").GetString()!;
                verdicts.AddOrUpdate(verdict, 1, (_, n) => n + 1);
            }
            else if (response.Headers.RetryAfter is not null)
            {
                Interlocked.Increment(ref retryAfterSeen);
            }
        });
        var legitimate = await ApiCalls.ScanAsync(node, urls[0], "198.51.100.200");

        Assert.Equal(["counterfeit"], verdicts.Keys);
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.TooManyRequests) > 99_000, string.Join(", ", statuses));
        Assert.Equal(statuses[HttpStatusCode.TooManyRequests], retryAfterSeen);
        Assert.Equal("not_sealed", legitimate.GetProperty("verdict").GetString());
    }
}

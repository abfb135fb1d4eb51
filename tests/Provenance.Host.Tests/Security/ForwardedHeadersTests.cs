using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>
/// <c>X-Forwarded-For</c> through ASP.NET Core's forwarded-headers middleware: believed only from configured proxies, and
/// then the client is the right-most hop that is not a proxy, so a client writing its own first entry changes nothing.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    [Fact]
    public async Task Behind_a_known_proxy_a_client_rotating_the_first_forwarded_entry_stays_one_client_and_is_limited()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?>
        {
            ["Api:KnownProxies:0"] = "127.0.0.1",
            ["Api:PublicScansPerMinute"] = "120",
        });

        // What the issue saw: 300 random-code scans, the client writing a new first entry each time, the proxy appending the real one.
        var answered = 0;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 300; i++)
        {
            if (await ScanAsync(node, $"{RandomNumberGenerator.GetInt32(1, 255)}.{RandomNumberGenerator.GetInt32(0, 255)}.0.1, 203.0.113.7") == HttpStatusCode.OK)
            {
                answered++;
            }
        }

        Assert.InRange(answered, 30, Allowance(elapsed)); // 300 asked
        Assert.Equal(HttpStatusCode.OK, await ScanAsync(node, "203.0.113.8")); // another client behind the same proxy has its own allowance
    }

    [Fact]
    public async Task Without_known_proxies_forwarded_headers_are_ignored_so_every_forged_address_is_the_same_client()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?> { ["Api:PublicScansPerMinute"] = "120" });

        var answered = 0;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            if (await ScanAsync(node, $"198.51.100.{i + 1}") == HttpStatusCode.OK)
            {
                answered++;
            }
        }

        Assert.InRange(answered, 30, Allowance(elapsed)); // 100 asked
    }

    /// <summary>What one client may get at 120 a minute: a burst of 30, then 2 a second for the time the loop took.</summary>
    private static int Allowance(System.Diagnostics.Stopwatch elapsed) => 30 + (2 * ((int)elapsed.Elapsed.TotalSeconds + 1));

    private static async Task<HttpStatusCode> ScanAsync(InProcessNode node, string forwardedFor)
    {
        var serial = string.Concat(RandomNumberGenerator.GetItems<char>(Alphabet, 12));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/09506000134352/21/{serial}?k=1&m={string.Concat(RandomNumberGenerator.GetItems<char>(Alphabet, 16))}");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await node.Http.SendAsync(request);
        return response.StatusCode;
    }
}

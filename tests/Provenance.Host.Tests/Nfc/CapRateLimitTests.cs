using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Nfc;

/// <summary>The public NFC route and the inner-code route share the per-client limit of the public scan.</summary>
public sealed class CapRateLimitTests
{
    [Theory]
    [InlineData("/nfc/1?e={0:D32}&m=0000000000000000")]
    [InlineData("/in/01/09506000134352/21/SER{0}?k=1&m=AAAAAAAAAAAAAAAA")]
    public async Task Taps_and_inner_code_scans_beyond_the_per_client_limit_get_429_with_retry_after(string pathFormat)
    {
        using var dir = new TempDirectory();
        await using var app = ProvenanceApp.Build(["--urls=http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Provenance:DataDirectory"] = dir.Path,
            ["Broker:Port"] = "0",
            ["Api:PublicScansPerMinute"] = "8",
            ["Management:Url"] = string.Empty,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, i));
            statuses.Add(response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.Delta;
        }

        await app.StopAsync();
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
    }
}

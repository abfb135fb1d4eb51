using System.Net;
using System.Text;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// A NUL character (U+0000) in a JSON text value is bad input on either storage provider: PostgreSQL cannot store it,
/// and a request carrying one was answered 500 on PostgreSQL before (found by the bad-input corpus).
/// </summary>
public sealed class NulTextTests
{
    [Theory]
    [InlineData("/api/gateways/x/revoke", """{"reason":"\u0000"}""")]
    [InlineData("/api/shipments", """{"distributorId":"\u0000"}""")]
    public async Task A_nul_character_in_a_text_value_is_a_4xx_problem_not_a_server_error(string path, string body)
    {
        await using var node = await InProcessNode.StartAsync();
        var (_, key) = node.CreateKey("admin");
        using var admin = node.ClientWithKey(key);

        using var response = await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health/live")).StatusCode);
    }
}

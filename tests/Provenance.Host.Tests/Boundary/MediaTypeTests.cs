using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Provenance.Host.Tests.Boundary;

/// <summary>Bodies are checked after authorisation and before anything reads them; unsupported media types are 415 problem details.</summary>
[Collection(BoundaryCollection.Name)]
public sealed class MediaTypeTests(BoundaryNode f)
{
    [Fact]
    public async Task A_bogus_charset_is_401_for_an_anonymous_caller_and_415_for_an_authorised_one_on_every_json_route()
    {
        foreach (var path in new[] { "/api/opened", "/api/recalls", "/api/products", "/api/shipments", "/api/distributors/", "/api/keys/" })
        {
            using var anonymous = await SendAsync(f.Node.Http, path, "application/json; charset=bogus", "{}");
            using var admin = await SendAsync(f.Admin, path, "application/json; charset=bogus", "{}");

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, admin.StatusCode);
            Assert.Equal("application/problem+json", admin.Content.Headers.ContentType?.MediaType);
            Assert.Contains("charset 'bogus'", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("application/json", "{\"key\":\"x\"}", 415)]
    [InlineData(null, "key=x", 415)]
    [InlineData("text/plain", "key=x", 415)]
    [InlineData("multipart/form-data", "--x\r\n", 415)]
    [InlineData("application/x-www-form-urlencoded", "MANY", 400)]
    public async Task The_dashboard_sign_in_refuses_what_is_not_a_small_form_with_a_4xx_problem(string? contentType, string body, int status)
    {
        var text = body == "MANY" ? string.Join('&', Enumerable.Range(0, 1_100).Select(i => $"f{i}=1")) : body;

        using var response = await SendAsync(f.Node.Http, "/dashboard/login", contentType, text);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Malformed_json_a_missing_body_and_a_too_deep_body_are_400_problems_that_say_what_is_wrong()
    {
        using var truncated = await SendAsync(f.Admin, "/api/opened", "application/json", "{\"tags\": [");
        using var empty = await SendAsync(f.Admin, "/api/opened", "application/json", string.Empty);
        using var deep = await SendAsync(f.Admin, "/api/opened", "application/json", "{\"tags\":" + new string('[', 64) + new string(']', 64) + "}");

        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Contains("request body as JSON", await truncated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Equal("application/problem+json", deep.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await client.SendAsync(request);
    }
}

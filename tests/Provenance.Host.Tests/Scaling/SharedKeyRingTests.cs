using System.Net;
using Provenance.Host.Tests.Boundary;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Scaling;

/// <summary>
/// Two <c>serve</c> processes that share the PostgreSQL database and the mounted secrets but no file system: a dashboard
/// form served by one is accepted by the other, because the data-protection key ring behind its antiforgery token is in
/// the database, not in a data directory.
/// </summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task A_dashboard_form_served_by_one_instance_is_accepted_by_another_that_shares_only_the_database()
    {
        var server = await PostgresServer.Shared;
        var connection = await server.CreateDatabaseAsync("keyring");
        var shared = new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["ConnectionStrings__Provenance"] = connection };
        await using var first = new ProvenanceNode { Environment = shared };
        await using var second = new ProvenanceNode { Environment = shared };
        await first.StartAsync();
        NodeIdentity.Copy(first, second);
        var legacyDirectory = Path.Combine(second.DataDirectory, "data-protection-keys");
        if (Directory.Exists(legacyDirectory))
        {
            Directory.Delete(legacyDirectory, recursive: true);
        }

        await second.StartAsync();
        var key = await ApiCalls.CreateKeyAsync(first, "producer");

        Assert.Equal(HttpStatusCode.SeeOther, await SignInAcrossAsync(first, second, key));
        Assert.Equal(HttpStatusCode.SeeOther, await SignInAcrossAsync(second, first, key));
        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "data-protection-keys")), "the key ring was written to the data directory");
    }

    /// <summary>Gets the sign-in form from <paramref name="form"/> and posts it, with its antiforgery cookie, to <paramref name="target"/>.</summary>
    private static async Task<HttpStatusCode> SignInAcrossAsync(ProvenanceNode form, ProvenanceNode target, string key)
    {
        // No cookie jar: both instances are 127.0.0.1, and a jar would share cookies between them by host name anyway.
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var page = await client.GetAsync(new Uri(form.Http.BaseAddress!, "/dashboard"));
        var cookies = page.Headers.GetValues("Set-Cookie").Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(target.Http.BaseAddress!, "/dashboard/login"))
        {
            Content = new FormUrlEncodedContent([new("__af", BoundaryNode.Token(await page.Content.ReadAsStringAsync())), new("key", key)]),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        using var signIn = await client.SendAsync(post);
        return signIn.StatusCode;
    }
}

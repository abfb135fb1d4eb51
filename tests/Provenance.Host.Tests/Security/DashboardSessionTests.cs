using System.Net;
using Microsoft.Data.Sqlite;
using Provenance.Host.Tests.Boundary;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>The dashboard's sign-in: a server-side session behind an opaque cookie, sign-out, antiforgery, Secure cookies behind https, rate limits.</summary>
public sealed class DashboardSessionTests
{
    // Searches the SQLite file for the token in clear.
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public async Task Signing_in_keeps_only_an_opaque_token_in_an_http_only_strict_cookie_and_signing_out_ends_the_session()
    {
        await using var node = await InProcessNode.StartAsync();
        var (_, key) = node.CreateKey("producer");
        var cookies = new CookieContainer();
        using var browser = Browser(node, cookies);

        using var page = await browser.GetAsync("/dashboard");
        var token = BoundaryNode.Token(await page.Content.ReadAsStringAsync());
        using var signIn = await browser.PostAsync("/dashboard/login", Form(("__af", token), ("key", key)));

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("provenance_session=", StringComparison.Ordinal));
        var session = setCookie["provenance_session=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.DoesNotContain(key, string.Join('\n', signIn.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie.Replace("samesite", string.Empty, StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, SessionsStoredInClear(node, session));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/dashboard")).StatusCode);

        var dashboard = await (await browser.GetAsync("/dashboard")).Content.ReadAsStringAsync();
        using var signOut = await browser.PostAsync("/dashboard/logout", Form(("__af", BoundaryNode.Token(dashboard))));
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard");
        replay.Headers.Add("Cookie", $"provenance_session={session}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Http.SendAsync(replay)).StatusCode);
    }

    [Fact]
    public async Task Revoking_or_rotating_the_key_ends_its_sessions()
    {
        await using var node = await InProcessNode.StartAsync();
        var (adminId, admin) = node.CreateKey("admin");
        using var adminClient = node.ClientWithKey(admin);
        var (revokedId, revoked) = node.CreateKey("producer");
        var (rotatedId, rotated) = node.CreateKey("producer");
        using var first = await SignedInAsync(node, revoked);
        using var second = await SignedInAsync(node, rotated);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/dashboard")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsync($"/api/keys/{revokedId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsync($"/api/keys/{rotatedId}/rotate", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/dashboard")).StatusCode);
        Assert.NotEqual(adminId, revokedId);
    }

    [Fact]
    public async Task Cookies_are_secure_when_the_public_scheme_is_https_through_a_known_proxy_and_only_then()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?> { ["Api:KnownProxies:0"] = "127.0.0.1" });
        var (_, key) = node.CreateKey("producer");

        var https = await SignInCookiesAsync(node, key, forwardedProto: "https");
        var http = await SignInCookiesAsync(node, key, forwardedProto: null);

        Assert.All(https, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(http, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));

        await using var direct = await InProcessNode.StartAsync();
        var (_, directKey) = direct.CreateKey("producer");
        Assert.All(await SignInCookiesAsync(direct, directKey, forwardedProto: "https"), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        await using var configured = await InProcessNode.StartAsync(new Dictionary<string, string?> { ["Api:AssumeHttps"] = "true" });
        var (_, configuredKey) = configured.CreateKey("producer");
        Assert.All(await SignInCookiesAsync(configured, configuredKey, forwardedProto: null), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_with_429_and_retry_after()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?> { ["Api:SignInAttemptsPerMinute"] = "10" });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last?.Dispose();
            last = await node.Http.PostAsync("/dashboard/login", Form(("key", $"pvk_guess{i}")));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.NotNull(last!.Headers.RetryAfter);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        last.Dispose();
    }

    private static HttpClient Browser(InProcessNode node, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Http.BaseAddress };

    private static async Task<HttpClient> SignedInAsync(InProcessNode node, string key)
    {
        var browser = Browser(node, new CookieContainer());
        using var page = await browser.GetAsync("/dashboard");
        using var signIn = await browser.PostAsync("/dashboard/login", Form(("__af", BoundaryNode.Token(await page.Content.ReadAsStringAsync())), ("key", key)));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        return browser;
    }

    /// <summary>Signs in without a cookie jar (so Secure cookies are seen whatever the scheme) and returns every Set-Cookie header.</summary>
    private static async Task<IReadOnlyList<string>> SignInCookiesAsync(InProcessNode node, string key, string? forwardedProto)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node.Http.BaseAddress };
        using var get = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        if (forwardedProto is not null)
        {
            get.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var page = await client.SendAsync(get);
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = Form(("__af", BoundaryNode.Token(await page.Content.ReadAsStringAsync())), ("key", key)) };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)])));
        if (forwardedProto is not null)
        {
            post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var signIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        cookies.AddRange(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains(cookies, c => c.StartsWith("provenance_session=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("provenance_af=", StringComparison.Ordinal));
        return cookies;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static long SessionsStoredInClear(InProcessNode node, string token)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "provenance.db")};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM dashboard_sessions WHERE CAST(token_hash AS TEXT) = $t OR instr(CAST(token_hash AS TEXT), $t) > 0";
        cmd.Parameters.AddWithValue("$t", token);
        return (long)cmd.ExecuteScalar()!;
    }
}

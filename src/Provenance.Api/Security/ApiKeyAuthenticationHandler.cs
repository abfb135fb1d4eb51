using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Api.Http;
using Provenance.Storage;

namespace Provenance.Api.Security;

/// <summary>
/// ASP.NET Core authentication for the API: an API key in <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>,
/// else a dashboard session cookie (an opaque token looked up on the server). A key that is present but wrong fails
/// authentication; no credential at all is anonymous (public endpoints still answer). Challenges and refusals are
/// problem details (401 with <c>WWW-Authenticate: Bearer</c>, 403).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, DashboardSessionStore sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The dashboard's session cookie: an opaque random token, never the API key.</summary>
    public const string SessionCookie = "provenance_session";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Secret(Request) is { } secret)
        {
            return Task.FromResult(keys.Find(secret) is { } key
                ? Success(key, ApiCaller.ApiKeyMethod)
                : AuthenticateResult.Fail("the API key is not valid (unknown, revoked or rotated)"));
        }

        if (Request.Cookies.TryGetValue(SessionCookie, out var token) && token.Length > 0 && sessions.Find(token) is { } sessionKey)
        {
            return Task.FromResult(Success(sessionKey, ApiCaller.SessionMethod));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure?.Message;
        await ProblemResponse.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            failure ?? "this endpoint needs an API key: send Authorization: Bearer KEY (provenance keys create --role ...)").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponse.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiCaller.From(Context.User) is { Method: ApiCaller.SessionMethod } && !HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method)
            ? "a dashboard session may only read; send the API key in a header to make changes"
            : "this key's role may not use this endpoint");

    private AuthenticateResult Success(StoredApiKey key, string method) =>
        AuthenticateResult.Success(new AuthenticationTicket(ApiCaller.Principal(key, method), SchemeName));

    private static string? Secret(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}

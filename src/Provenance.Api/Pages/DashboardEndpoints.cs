using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Http;
using Provenance.Api.Pages.Text;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Pages;

/// <summary>
/// The producer dashboard: <c>GET /dashboard</c> (the page, or a sign-in form), <c>POST /dashboard/login</c> and
/// <c>POST /dashboard/logout</c> (forms with antiforgery tokens), and <c>GET /api/dashboard</c> (its data). Signing in
/// with a producer key opens a server-side session; the browser keeps only an opaque token in an HttpOnly,
/// SameSite=Strict cookie (<c>Secure</c> whenever the public scheme is https), which authorises reads only.
/// </summary>
public static class DashboardEndpoints
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private static readonly string[] FormTypes = ["application/x-www-form-urlencoded", "multipart/form-data"];

    private static readonly FormOptions SmallForm = new()
    {
        ValueCountLimit = 8,
        KeyLengthLimit = 64,
        ValueLengthLimit = 4096,
        MultipartBodyLengthLimit = 16 * 1024,
        MultipartHeadersCountLimit = 8,
        BufferBody = false,
    };

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext context, IAntiforgery antiforgery) =>
            {
                var text = Language(context);
                var token = antiforgery.GetAndStoreTokens(context).RequestToken ?? string.Empty;
                return ApiCaller.From(context.User) is { Role: ApiRoles.Producer or ApiRoles.Admin }
                    ? TypedResults.Content(DashboardPage.Render(text, token), "text/html; charset=utf-8")
                    : TypedResults.Content(DashboardLoginPage.Render(text, token, null), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            })
            .AllowAnonymous()
            .WithName("Dashboard")
            .WithSummary("The producer dashboard page (polls /api/dashboard); without a producer session, a sign-in form.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status401Unauthorized, contentType: "text/html");
        app.MapPost(RateLimits.SignInPath, SignInAsync)
            .AllowAnonymous()
            .Accepts<DashboardForm>(FormTypes[0], FormTypes[1])
            .WithName("DashboardLogin")
            .WithSummary("Sign in with a producer API key (form field 'key' and the antiforgery field from the sign-in page); opens a session.")
            .Produces(StatusCodes.Status303SeeOther)
            .Produces(StatusCodes.Status401Unauthorized, contentType: "text/html")
            .Produces(StatusCodes.Status400BadRequest, contentType: "text/html");
        app.MapPost("/dashboard/logout", SignOutAsync)
            .AllowAnonymous()
            .Accepts<DashboardForm>(FormTypes[0], FormTypes[1])
            .WithName("DashboardLogout")
            .WithSummary("End the dashboard session (antiforgery field from the dashboard page).")
            .Produces(StatusCodes.Status303SeeOther);
        app.MapGet(DashboardPage.DataPath, (HttpContext context, DashboardMonitor monitor) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Json(monitor.Snapshot(context.Request.Host.Value ?? "localhost", context.Request.Scheme), DashboardJsonContext.Default.DashboardSnapshot);
            })
            .RequireAuthorization(ApiPolicies.Producer)
            .WithName("DashboardData")
            .WithSummary("Seals per minute per line over the last hour, gateways with their GNSS state and history, and origin-failure alerts.")
            .Produces<DashboardSnapshot>(StatusCodes.Status200OK, "application/json");
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyStore keys, DashboardSessionStore sessions)
    {
        var text = Language(context);
        var form = await ReadFormAsync(context).ConfigureAwait(false);
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return Page(context, antiforgery, text, "signin.expired", StatusCodes.Status400BadRequest);
        }

        var key = form["key"].ToString().Trim();
        if (key.Length == 0 || keys.Find(key) is not { Role: ApiRoles.Producer or ApiRoles.Admin } found)
        {
            return Page(context, antiforgery, text, "signin.failed", StatusCodes.Status401Unauthorized);
        }

        var token = sessions.Create(found.Id, SessionLifetime);
        context.Response.Cookies.Append(ApiKeyAuthenticationHandler.SessionCookie, token, Cookie(context, SessionLifetime));
        context.Response.Headers.CacheControl = "no-store";
        return new SeeOther("/dashboard");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, DashboardSessionStore sessions)
    {
        await ReadFormAsync(context).ConfigureAwait(false);
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return TypedResults.Problem("the sign-out form's antiforgery token is missing or stale; reload the dashboard and try again", statusCode: StatusCodes.Status400BadRequest);
        }

        if (context.Request.Cookies.TryGetValue(ApiKeyAuthenticationHandler.SessionCookie, out var token) && token.Length > 0)
        {
            sessions.Delete(token);
        }

        context.Response.Cookies.Delete(ApiKeyAuthenticationHandler.SessionCookie, Cookie(context, TimeSpan.Zero));
        return new SeeOther("/dashboard");
    }

    /// <summary>Reads the (small) sign-in form with tight limits: a few fields, a few kilobytes.</summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return FormCollection.Empty; // an empty post: the antiforgery check refuses it
        }

        context.Features.Set<IFormFeature>(new FormFeature(context.Request, SmallForm));
        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (IOException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"the form is truncated or malformed: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, PageText text, string errorKey, int status)
    {
        var token = antiforgery.GetAndStoreTokens(context).RequestToken ?? string.Empty;
        return TypedResults.Content(DashboardLoginPage.Render(text, token, errorKey), "text/html; charset=utf-8", statusCode: status);
    }

    private static CookieOptions Cookie(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };

    private static PageText Language(HttpContext context)
    {
        // No Cache-Control here: pages with an antiforgery token get "no-cache, no-store" from the antiforgery system.
        var text = PageLanguage.Negotiate(context.Request.Headers.AcceptLanguage.ToString());
        context.Response.Headers.Vary = HeaderNames.AcceptLanguage;
        context.Response.Headers.ContentLanguage = text.Language;
        return text;
    }

    /// <summary>The sign-in and sign-out form fields, for the OpenAPI description.</summary>
    public sealed record DashboardForm(string? Key);

    /// <summary>303 See Other: after a form post, the browser follows with a GET.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

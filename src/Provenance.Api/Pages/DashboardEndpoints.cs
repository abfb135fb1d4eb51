using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Pages.Text;
using Provenance.Api.Security;

namespace Provenance.Api.Pages;

/// <summary>
/// <c>GET /dashboard</c> (the page) and <c>GET /api/dashboard</c> (its data), for the producer role: API clients send
/// the key as a header; browsers sign in once with the key and carry it in an HttpOnly, SameSite=Strict cookie.
/// </summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext context) =>
            {
                var text = PageLanguage.Negotiate(context.Request.Headers.AcceptLanguage.ToString());
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Vary = HeaderNames.AcceptLanguage;
                context.Response.Headers.ContentLanguage = text.Language;
                return ApiKeyFilter.Authenticate(context, ApiRoles.Producer) is null
                    ? TypedResults.Content(DashboardLoginPage.Render(failed: false), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized)
                    : TypedResults.Content(DashboardPage.Render(text), "text/html; charset=utf-8");
            })
            .WithName("Dashboard")
            .WithSummary("The producer dashboard page (polls /api/dashboard); without a producer key, a sign-in form.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status401Unauthorized, contentType: "text/html");
        app.MapPost("/dashboard/login", async (HttpContext context) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                var key = form["key"].ToString();
                context.Request.Headers["X-Api-Key"] = key;
                if (key.Length == 0 || ApiKeyFilter.Authenticate(context, ApiRoles.Producer) is null)
                {
                    return (IResult)TypedResults.Content(DashboardLoginPage.Render(failed: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
                }

                context.Response.Cookies.Append(ApiKeyFilter.CookieName, key, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    MaxAge = TimeSpan.FromHours(12),
                });
                return TypedResults.Redirect("/dashboard");
            })
            .DisableAntiforgery()
            .WithName("DashboardLogin")
            .WithSummary("Sign in to the dashboard with a producer API key (sets an HttpOnly, SameSite=Strict cookie).")
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status401Unauthorized, contentType: "text/html");
        app.MapGet(DashboardPage.DataPath, (HttpContext context, DashboardMonitor monitor) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Json(monitor.Snapshot(context.Request.Host.Value ?? "localhost", context.Request.Scheme), DashboardJsonContext.Default.DashboardSnapshot);
            })
            .RequireApiKey(ApiRoles.Producer)
            .WithName("DashboardData")
            .WithSummary("Seals per minute per line over the last hour, gateways with their GNSS state and history, and origin-failure alerts.")
            .Produces<DashboardSnapshot>(StatusCodes.Status200OK, "application/json");
        return app;
    }
}

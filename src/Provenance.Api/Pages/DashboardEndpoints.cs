using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// <c>GET /dashboard</c> (the page) and <c>GET /api/dashboard</c> (its data). Both are for the producer; they carry no
/// authentication of their own yet and are meant to sit behind the producer role.
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
                return TypedResults.Content(DashboardPage.Render(text), "text/html; charset=utf-8");
            })
            .WithName("Dashboard")
            .WithSummary("The producer dashboard page (polls /api/dashboard).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        app.MapGet(DashboardPage.DataPath, (HttpContext context, DashboardMonitor monitor) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Json(monitor.Snapshot(context.Request.Host.Value ?? "localhost", context.Request.Scheme), DashboardJsonContext.Default.DashboardSnapshot);
            })
            .WithName("DashboardData")
            .WithSummary("Seals per minute per line over the last hour, gateways with their GNSS state and history, and origin-failure alerts.")
            .Produces<DashboardSnapshot>(StatusCodes.Status200OK, "application/json");
        return app;
    }
}

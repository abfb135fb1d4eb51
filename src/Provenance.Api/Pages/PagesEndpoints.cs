using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Storage;

namespace Provenance.Api.Pages;

/// <summary>Registers and maps the pages' own endpoints: page scripts under <c>/assets/</c> and the producer dashboard.</summary>
public static class PagesEndpoints
{
    /// <summary>The read-only queries the pages need.</summary>
    public static IServiceCollection AddProvenancePages(this IServiceCollection services)
    {
        services.AddSingleton<ScanSummaryStore>();
        services.AddSingleton<DashboardStore>();
        services.AddSingleton<DashboardMonitor>();
        return services;
    }

    public static IEndpointRouteBuilder MapProvenancePages(this IEndpointRouteBuilder app)
    {
        app.MapGet(PageAssets.PathPrefix + "{name}", PageAssets.Serve)
            .AllowAnonymous()
            .WithName("PageAsset")
            .WithSummary("A script of the pages (embedded; served from here so the CSP can stay script-src 'self').")
            .ExcludeFromDescription();
        app.MapDashboard();
        return app;
    }
}

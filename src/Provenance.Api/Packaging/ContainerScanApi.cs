using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Http;
using Provenance.Core.Packaging;
using Provenance.Storage;
using Provenance.Storage.Packaging;

namespace Provenance.Api.Packaging;

/// <summary>
/// The public scan of a logistic unit's code (<c>/00/{sscc}</c>, the Digital Link of a case or pallet label): JSON for
/// <c>Accept: application/json</c>, else a page in English or Simplified Chinese. Rate-limited like bottle scans.
/// </summary>
public static class ContainerScanApi
{
    public static IEndpointRouteBuilder MapContainerScanApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/00/{**rest}", Scan)
            .AllowAnonymous()
            .WithName("ScanContainer")
            .WithSummary("Scan a case's or pallet's code (GS1 Digital Link with AI 00): what it is and how many bottles of which products it holds.")
            .Produces<ContainerScanResult>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.PublicScan);
        return app;
    }

    private static IResult Scan(HttpContext context, ContainerStore containers, RegistryStore registry, string? rest)
    {
        var result = Resolve(rest, containers, registry);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Vary = HeaderNames.Accept;
        var accept = context.Request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Json(result)
            : TypedResults.Content(ContainerPage.Render(result, context), "text/html; charset=utf-8");
    }

    internal static ContainerScanResult Resolve(string? rest, ContainerStore containers, RegistryStore registry)
    {
        var path = "/00/" + (rest ?? string.Empty).Split('?')[0];
        if (!ContainerCode.TryParse(path, out var code, out _) || containers.Tree(code) is not { } tree)
        {
            return new ContainerScanResult(ContainerScanResult.Unknown, null, 0, new Dictionary<string, int>(), []);
        }

        var contents = new Dictionary<string, int>(StringComparer.Ordinal);
        var bottles = new List<TagKey>();
        void Walk(ContainerTree node)
        {
            bottles.AddRange(node.Bottles);
            foreach (var child in node.Containers)
            {
                var level = PackagingLevels.Name(child.Level);
                contents[level] = contents.GetValueOrDefault(level) + 1;
                Walk(child);
            }
        }

        Walk(tree);
        var products = bottles.GroupBy(b => b.Gtin, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => registry.FindProduct(g.Key) is { } p ? new ContainerProduct(g.Key, p.Name, p.Brand, g.Count()) : new ContainerProduct(g.Key, null, null, g.Count()))
            .ToList();
        return new ContainerScanResult(ContainerScanResult.Known, PackagingLevels.Name(tree.Level), tree.BottleCount, contents, products);
    }
}

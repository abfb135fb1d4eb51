using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Geo;
using Provenance.Api.Http;
using Provenance.Api.Pages;
using Provenance.Core.Codes;

namespace Provenance.Api;

/// <summary>
/// The public scan endpoint: the GS1 Digital Link path itself (<c>/01/{gtin}[/10/{lot}]/21/{serial}?k=..&amp;m=..</c>).
/// <c>Accept: application/json</c> gets the verdict as JSON; a browser gets the consumer page. Limits: per client
/// (429), per code and client (429), per code for everyone (beyond it: the code's cached verdict, not recorded).
/// </summary>
public static class ScanApi
{
    public static IEndpointRouteBuilder MapScanApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/01/{**rest}", Scan)
            .AllowAnonymous()
            .WithName("Scan")
            .WithSummary("Scan a bottle's code (the GS1 Digital Link URI in its QR).")
            .WithDescription("Returns the verdict (authentic, counterfeit, unknown, not_sealed, recalled, void, opened, suspect_clone, suspect_origin, diverted) with reasons, origin confidence, product, origin, ledger proof and scan history. Optional lat, lon, acc query parameters carry the browser's location; they are outside the MAC, which covers the canonical path only. Send Accept: application/json for JSON; browsers get an HTML page.")
            .Produces<ScanResult>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.PublicScan);
        return app;
    }

    private static IResult Scan(HttpContext context, ScanService scans, ScanBudget budget, ScannerIdentity scanners, ClientLocator locator, string? rest)
    {
        var request = context.Request;
        var pathAndQuery = RawRequestTarget.Of(context);
        ScanResult result;
        if (!DigitalLink.TryParsePath(pathAndQuery, request.Host.Value ?? "localhost", out var link, out _))
        {
            result = scans.Malformed();
        }
        else
        {
            var code = $"{link!.CanonicalPath}?k={link.Attribute("k")}&m={link.Attribute("m")}";
            var scanner = scanners.Of(ClientLocator.ClientAddress(context));
            if (budget.TryTakeFresh(code, out var runningOut))
            {
                result = scans.Scan(link, scanner, locator.Locate(context));
                if (runningOut)
                {
                    budget.Remember(code, result);
                }
            }
            else
            {
                result = budget.OverBudget(code, () => scans.Scan(link, scanner, locator.Locate(context), record: false));
            }
        }

        return Answer(context, result);
    }

    /// <summary>The verdict as JSON for <c>Accept: application/json</c>, else the consumer page; never cached.</summary>
    internal static IResult Answer(HttpContext context, ScanResult result)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Vary = HeaderNames.Accept;
        return WantsJson(context.Request)
            ? TypedResults.Json(result, ApiJsonContext.Default.ScanResult)
            : TypedResults.Content(ScanPage.Render(result, context), "text/html; charset=utf-8");
    }

    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}

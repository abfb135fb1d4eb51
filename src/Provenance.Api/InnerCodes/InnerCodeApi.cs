using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Geo;
using Provenance.Api.Http;
using Provenance.Core.Codes;

namespace Provenance.Api.InnerCodes;

/// <summary>
/// The public inner-code endpoint: the URL in the QR printed under a bottle's cap,
/// <c>/in/01/{gtin}[/10/{lot}]/21/{serial}?k=..&amp;m=..</c>. Same answers, content negotiation and limits as the
/// outer code's scan (per client, per code and client, per code for everyone).
/// </summary>
public static class InnerCodeApi
{
    public static IEndpointRouteBuilder MapInnerCodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet($"/{InnerCodeAuthenticator.PathSegment}/01/{{**rest}}", Scan)
            .AllowAnonymous()
            .WithName("InnerCodeScan")
            .WithSummary("Scan a bottle's inner code (the QR under its cap): the first scan records the bottle's opening.")
            .WithDescription("The first scan of a genuine inner code records the bottle as opened (server time, coarse place) and answers opened with innerCode.firstScan true; every later scan answers opened with reason inner_code_used_before and innerCode.openedAt / openedPlace of that first scan. A code that does not verify gets the answer of a forged outer code. Optional lat, lon, acc query parameters carry the browser's location. Send Accept: application/json for JSON; browsers get an HTML page.")
            .Produces<ScanResult>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.PublicScan);
        return app;
    }

    private static IResult Scan(HttpContext context, InnerCodeScanService inner, ScanService scans, ScanBudget budget, ScannerIdentity scanners, ClientLocator locator, string? rest)
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
            var code = $"/{InnerCodeAuthenticator.PathSegment}{link!.CanonicalPath}?k={link.Attribute("k")}&m={link.Attribute("m")}";
            var scanner = scanners.Of(ClientLocator.ClientAddress(context));
            if (budget.TryTakeFresh(code, out _))
            {
                result = inner.Scan(link, scanner, locator.Locate(context));
                // Scans over the code's budget answer from this one: as a later scan, never as the bottle's opening.
                budget.Remember(code, InnerCodeScanService.AsSeenLater(result));
            }
            else
            {
                result = budget.OverBudget(code, () => inner.Scan(link, scanner, locator.Locate(context), record: false));
            }
        }

        return ScanApi.Answer(context, result);
    }
}

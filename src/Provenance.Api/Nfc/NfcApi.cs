using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Geo;
using Provenance.Api.Http;

namespace Provenance.Api.Nfc;

/// <summary>
/// The public NFC tap endpoint: the URL an NTAG 424 DNA cap makes on every tap,
/// <c>/nfc/{keyId}?e={PICCData}&amp;t={file data}&amp;m={SDMMAC}</c>. Same answers and content negotiation as the
/// code scan, same per-client rate limit.
/// </summary>
public static class NfcApi
{
    public static IEndpointRouteBuilder MapNfcApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/nfc/{keyId}", Tap)
            .WithName("NfcTap")
            .WithSummary("Tap of an NFC cap (the Secure Unique NFC URL an NTAG 424 DNA cap produces on every tap).")
            .WithDescription("e: encrypted PICCData (32 hex), t: encrypted file data holding the TagTamper status (32 hex, optional), m: SDMMAC (16 hex), in this order. Returns the bottle's verdict like the code scan: authentic with reason cap_sealed when the tamper loop is closed, opened when it is or was open, counterfeit when the message does not verify, suspect_clone when the read counter did not move forward (a replayed or copied message), not_sealed when the chip was never bound to a bottle. Send Accept: application/json for JSON; browsers get an HTML page.")
            .Produces<ScanResult>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.PublicScan);
        return app;
    }

    private static IResult Tap(HttpContext context, NfcScanService nfc, ScannerIdentity scanners, ClientLocator locator, string keyId)
    {
        var result = nfc.Tap(keyId, context.Request.QueryString.Value, scanners.Of(ClientLocator.ClientAddress(context)), locator.Locate(context));
        return ScanApi.Answer(context, result);
    }
}

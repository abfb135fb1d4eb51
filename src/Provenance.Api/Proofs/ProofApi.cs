using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Http;
using Provenance.Core.Codes;
using Provenance.Core.Proofs;

namespace Provenance.Api.Proofs;

/// <summary>
/// <c>GET /01/{gtin}[/10/{lot}]/21/{serial}/proof?k=..&amp;m=..</c>: the bottle's proof bundle. The code's MAC (the same
/// query as on its QR) is required, so that the endpoint cannot be used to enumerate which serials exist or were sealed;
/// a forged, unknown and unsealed code all get the same 404.
/// </summary>
public static class ProofApi
{
    public static IEndpointRouteBuilder MapProofApi(this IEndpointRouteBuilder app)
    {
        foreach (var template in new[] { "/01/{gtin}/21/{serial}/proof", "/01/{gtin}/10/{lot}/21/{serial}/proof" })
        {
            app.MapGet(template, Proof)
                .WithSummary("A bottle's proof bundle: everything needed to check its story offline.")
                .WithDescription("The issuance record and commissioning event, the gateway's registration, key and signed seal message, the signed GNSS messages and inputs of the origin attestation, and the ledger inclusion proof (embedded ledger: Merkle path and signed block header; Fabric: the transaction envelope with its endorsements, the block header and data, the orderer's block signature and the validation code). Parts that do not exist yet say \"pending\". Requires the k and m query parameters of the bottle's QR code. Check it with `provenance proof verify`.")
                .Produces<ProofBundle>(StatusCodes.Status200OK, "application/json")
                .Produces(StatusCodes.Status404NotFound)
                .Produces(StatusCodes.Status429TooManyRequests)
                .AllowAnonymous()
                .RequireRateLimiting(RateLimits.PublicScan);
        }

        return app;
    }

    private static async Task<IResult> Proof(HttpContext context, CodeAuthenticator codes, ProofBundleBuilder builder)
    {
        var request = context.Request;
        var target = RawRequestTarget.Of(context);
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (!path.EndsWith("/proof", StringComparison.Ordinal))
        {
            return NoProof();
        }

        var codePath = path[..^"/proof".Length] + (query < 0 ? string.Empty : target[query..]);
        context.Response.Headers.CacheControl = "no-store";
        if (!DigitalLink.TryParsePath(codePath, request.Host.Value ?? "localhost", out var link, out _) || !codes.Verify(link!).IsAuthentic
            || link!.Gtin is null || link.Serial is null
            || await builder.BuildAsync(link.Gtin.Value.Value, link.Serial, context.RequestAborted).ConfigureAwait(false) is not { } bundle)
        {
            return NoProof();
        }

        return TypedResults.Text(JsonSerializer.Serialize(bundle, ProofJsonContext.Default.ProofBundle), "application/json; charset=utf-8");
    }

    private static IResult NoProof() =>
        TypedResults.Problem("No proof for this code: check that the link is the one printed on the bottle, including its k and m parameters, and that the bottle has been sealed.", statusCode: StatusCodes.Status404NotFound);
}

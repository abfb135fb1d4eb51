using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Geo;
using Provenance.Api.Http;

namespace Provenance.Api.Rewards;

/// <summary>The consumer's claim of a reward with the inner code under the cap: <c>POST /rewards/redeem</c>, public and rate-limited per client.</summary>
public static class RedeemApi
{
    public static IEndpointRouteBuilder MapRedeemApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/rewards/redeem", Redeem)
            .AllowAnonymous()
            .WithTags("Rewards")
            .WithName("RedeemReward")
            .WithSummary("Claim the reward of a bottle with the inner code under its cap (扫码领红包).")
            .WithDescription("Send the inner code's URL as scanned, the app's opaque userId and a deviceId. The answer's outcome is awarded, held (checked before it is paid), no_prize, rejected, already_redeemed, budget_exhausted, limit_reached, not_eligible or invalid_code, with a message in English (en) and Simplified Chinese (zh). The same claimant asking again gets the same answer; a forged code gets the same answer as an unknown one.")
            .RequireRateLimiting(RateLimits.PublicScan);
        return app;
    }

    private static Results<Ok<RedeemAnswer>, ValidationProblem> Redeem(RedeemRequest request, HttpContext context, RedemptionService rewards, ClientLocator locator)
    {
        var errors = request.Check();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "the claim is not valid: fix the fields listed under errors", title: "Invalid claim");
        }

        var userAgent = context.Request.Headers.UserAgent.ToString();
        return TypedResults.Ok(rewards.Redeem(request, ClientLocator.ClientAddress(context), userAgent.Length == 0 ? null : userAgent, locator.Locate(context)));
    }
}

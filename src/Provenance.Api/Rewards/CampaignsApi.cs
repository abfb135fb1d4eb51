using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Storage;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>
/// Reward campaigns for the producer: <c>/api/campaigns</c>, their redemptions, and the review of held ones. Producer
/// keys only (distributors are refused by role); a redemption is reached only through its own campaign.
/// </summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").WithTags("Rewards").RequireAuthorization(ApiPolicies.Producer);
        api.MapPost("/", Create).WithName("CreateCampaign")
            .WithSummary("Create a reward campaign: budget, tiers, limits, region, time window, products and lots.")
            .WithDescription("Amounts and the budget are whole numbers in the campaign's unit: minor currency units (fen for CNY) for kind cash, points for kind points. A 400 lists every field to fix under errors. Needs Rewards:PayoutUrl configured (409 otherwise).");
        api.MapGet("/", List).WithName("ListCampaigns").WithSummary("Every campaign with its budget state and redemptions by status.");
        api.MapGet("/{id}", Get).WithName("GetCampaign");
        api.MapGet("/{id}/redemptions", Redemptions).WithName("ListRedemptions")
            .WithSummary("A campaign's redemptions, oldest first; status=held lists those waiting for review, with their risk reasons.");
        api.MapGet("/{id}/redemptions/{redemptionId}", Redemption).WithName("GetRedemption")
            .WithSummary("One redemption: risk score and reasons, review, and its payout instruction's acknowledgement.");
        api.MapPost("/{id}/redemptions/{redemptionId}/approve", (string id, string redemptionId, HttpContext context, RedemptionStore store, PayoutDispatcher payouts, TimeProvider time) =>
                Decide(id, redemptionId, approve: true, context, store, payouts, time))
            .WithName("ApproveRedemption").WithSummary("Approve a held redemption: its payout instruction is sent. 409 when it is not held.");
        api.MapPost("/{id}/redemptions/{redemptionId}/reject", (string id, string redemptionId, HttpContext context, RedemptionStore store, PayoutDispatcher payouts, TimeProvider time) =>
                Decide(id, redemptionId, approve: false, context, store, payouts, time))
            .WithName("RejectRedemption").WithSummary("Reject a held redemption: never paid; its amount returns to the budget. 409 when it is not held.");
        return app;
    }

    private static Results<Created<CampaignDto>, ValidationProblem, ProblemHttpResult> Create(
        CampaignDefinition definition, CampaignStore campaigns, IOptions<RewardOptions> options, TimeProvider time)
    {
        var errors = CampaignValidation.Check(definition);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "the campaign is not valid: fix the fields listed under errors", title: "Invalid campaign");
        }

        if (string.IsNullOrEmpty(options.Value.PayoutUrl))
        {
            return TypedResults.Problem("approved rewards would have nowhere to go: set Rewards:PayoutUrl and Rewards:PayoutSecret (the producer's payment system) and restart", statusCode: StatusCodes.Status409Conflict);
        }

        var normalised = definition with
        {
            Gtins = [.. definition.Gtins!.Select(g => Gtin.Parse(g).Value).Distinct(StringComparer.Ordinal)],
            TimeZone = definition.TimeZone ?? CampaignDefinition.DefaultTimeZone,
        };
        var now = time.GetUtcNow();
        var stored = new StoredCampaign(normalised.Id!, normalised.ToJson(), normalised.Budget!.Value, 0, normalised.StartsAt!.Value, normalised.EndsAt!.Value, now);
        try
        {
            campaigns.Add(stored);
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Created($"/api/campaigns/{Uri.EscapeDataString(stored.Id)}", CampaignDto.From(stored, campaigns.Totals(stored.Id), now));
    }

    private static Ok<IReadOnlyList<CampaignDto>> List(CampaignStore campaigns, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<CampaignDto>>([.. campaigns.List().Select(c => CampaignDto.From(c, campaigns.Totals(c.Id), now))]);
    }

    private static Results<Ok<CampaignDto>, NotFound> Get(string id, CampaignStore campaigns, TimeProvider time) =>
        campaigns.Find(id) is { } c ? TypedResults.Ok(CampaignDto.From(c, campaigns.Totals(id), time.GetUtcNow())) : TypedResults.NotFound();

    private static Results<Ok<RedemptionPage>, NotFound, ProblemHttpResult> Redemptions(string id, string? status, int? offset, int? limit, CampaignStore campaigns, RedemptionStore redemptions)
    {
        if (campaigns.Find(id) is null)
        {
            return TypedResults.NotFound();
        }

        if (status is not null && !RedemptionStatus.IsValid(status))
        {
            return TypedResults.Problem("status: one of approved, held, rejected, no_prize", statusCode: StatusCodes.Status400BadRequest);
        }

        if (offset is < 0 || limit is < 1 or > 1000)
        {
            return TypedResults.Problem("offset is 0 or more; limit is 1 to 1000", statusCode: StatusCodes.Status400BadRequest);
        }

        var (from, count) = (offset ?? 0, limit ?? 100);
        var items = redemptions.List(id, status, from, count);
        return TypedResults.Ok(new RedemptionPage([.. items.Select(RedemptionDto.From)], items.Count == count ? from + count : null));
    }

    private static Results<Ok<RedemptionDto>, NotFound> Redemption(string id, string redemptionId, RedemptionStore redemptions) =>
        redemptions.Find(id, redemptionId) is { } r ? TypedResults.Ok(RedemptionDto.From(r)) : TypedResults.NotFound();

    private static Results<Ok<RedemptionDto>, NotFound, ProblemHttpResult> Decide(
        string id, string redemptionId, bool approve, HttpContext context, RedemptionStore store, PayoutDispatcher payouts, TimeProvider time)
    {
        if (store.Decide(id, redemptionId, approve, context.Caller().KeyId, time.GetUtcNow()) is not { } decided)
        {
            return TypedResults.NotFound();
        }

        if (!decided.Changed)
        {
            return TypedResults.Problem($"redemption {redemptionId} is {decided.Redemption.Status}, not held: only held redemptions are reviewed", statusCode: StatusCodes.Status409Conflict);
        }

        if (approve)
        {
            payouts.Wake();
        }

        return TypedResults.Ok(RedemptionDto.From(decided.Redemption));
    }
}

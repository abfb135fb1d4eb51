using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Retailer case-opening rebates (门店开箱): <c>POST /api/custody/case-openings</c> by a retailer, body <c>{"case": URI}</c>.
/// The case must be in the retailer's custody (every bottle scanned in by it and not shipped on); then it earns the
/// rebate once per case, ever: the rebate and its <c>case_opening_rebate</c> feed entry (delivered by the signed webhook,
/// idempotency key <c>case-rebate:{case}</c>) are stored in one transaction keyed by the case, so concurrent or repeated
/// requests earn it once. A repeat by the same retailer gets the same rebate back (<c>already_earned</c>).
/// </summary>
public static class CaseOpeningsApi
{
    public const string RebateKind = "case_opening_rebate";

    public static IEndpointRouteBuilder MapCaseOpeningsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/custody/case-openings", Open).RequireAuthorization(ApiPolicies.Dealer).WithTags("Distribution").WithName("OpenCase")
            .WithSummary("A retailer scans a case in its custody open and earns the case-opening rebate, once per case (201 earned, 200 already earned by you, 409 with the reason otherwise).");
        return app;
    }

    private static Results<Created<CaseRebateDto>, Ok<CaseRebateDto>, ProblemHttpResult> Open(
        CaseOpeningRequest request, HttpContext context, DealerTree tree, CustodyScorer custody, ShipmentStore shipments, CaseRebateStore rebates, AlertService alerts,
        IOptions<CustodyOptions> options, TimeProvider time)
    {
        if (tree.Self(context.Caller()) is not { } me)
        {
            return TypedResults.Problem("this key is not bound to a dealer", statusCode: StatusCodes.Status403Forbidden);
        }

        if (me.Level != DealerLevels.Retailer)
        {
            return TypedResults.Problem("case-opening rebates are for retailers: the retailer that opens the case on its shelf scans it", statusCode: StatusCodes.Status403Forbidden);
        }

        var o = options.Value;
        if (o.CaseRebateAmount == 0)
        {
            return Refused("rebates_off", "case-opening rebates are off on this installation (Custody:CaseRebateAmount is 0)");
        }

        var code = CodeRef.Case(request.Case);
        var bottles = code is null ? [] : shipments.CaseTags(code);
        // An unknown case and someone else's case get the same answer, so case codes cannot be probed.
        if (bottles.Count == 0 || !bottles.All(b => custody.Holds(me.Id, b)))
        {
            return Refused("not_in_your_custody",
                $"case {request.Case} is not in your custody, so it earns nothing: scan it in first (POST /api/custody/scan-in) once it was shipped to you; a case another dealer holds earns you nothing");
        }

        var amount = o.CaseRebateAmount.ToString("0.00", CultureInfo.InvariantCulture);
        var root = tree.Root(me.Id);
        var (rebate, earned) = rebates.Claim(code!, me.Id, amount, o.CaseRebateCurrency, bottles.Count, RebateKind, me.Id, at => JsonSerializer.Serialize(new
        {
            idempotencyKey = $"case-rebate:{code}",
            retailer = me.Id,
            accountableDistributor = root,
            @case = code,
            bottles = bottles.Count,
            amount,
            currency = o.CaseRebateCurrency,
            openedAt = at,
        }), time.GetUtcNow());
        if (earned)
        {
            alerts.Notify();
            return TypedResults.Created($"/api/custody/case-openings{code}", Dto("earned", rebate));
        }

        return rebate.RetailerId == me.Id
            ? TypedResults.Ok(Dto("already_earned", rebate))
            : Refused("already_earned", $"case {request.Case} already earned its rebate, for another retailer; a case earns it once");
    }

    private static CaseRebateDto Dto(string status, StoredCaseRebate r) => new(status, r.CaseCode, r.RetailerId, r.Amount, r.Currency, r.Bottles, r.AlertId, r.At);

    private static ProblemHttpResult Refused(string reason, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}

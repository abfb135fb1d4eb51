using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// The dealer tree: <c>/api/dealers</c>. The producer creates dealers anywhere; a distributor or sub-distributor creates
/// dealers of a lower level under itself or under its own dealers; a dealer reads itself and the dealers below it.
/// Anything else answers 404, as if it did not exist.
/// </summary>
public static class DealersApi
{
    public static IEndpointRouteBuilder MapDealersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dealers").WithTags("Distribution");
        api.MapPost("/", Create).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("CreateDealer")
            .WithSummary("Create a sub-distributor or retailer under a dealer you manage, with its own sales region; the response shows its API key once.");
        api.MapGet("/{id}", Get).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("GetDealer");
        api.MapGet("/{id}/children", Children).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("ListDealerChildren");
        api.MapGet("/{id}/report", Report).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("GetDealerReport")
            .WithSummary("A dealer's custody at a glance: bottles it holds now, scans in and out, diversion alerts naming it by grade, case-opening rebates.");
        return app;
    }

    private static Results<Created<CreatedDealer>, ProblemHttpResult> Create(
        CreateDealerRequest request, HttpContext context, DealerTree tree, DistributorStore dealers, ApiKeyStore keys, TimeProvider time)
    {
        var caller = context.Caller();
        if (caller.Role == ApiRoles.Retailer)
        {
            return TypedResults.Problem("a retailer has no dealers under it", statusCode: StatusCodes.Status403Forbidden);
        }

        if (caller.IsDistributor && tree.Self(caller) is null)
        {
            return TypedResults.Problem("this key is not bound to a dealer", statusCode: StatusCodes.Status403Forbidden);
        }

        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 64 || string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return TypedResults.Problem("id (at most 64 characters) and name (at most 200) are required", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.ParentId is null || tree.Reach(caller, request.ParentId) is not { } parent)
        {
            return TypedResults.Problem($"no dealer {request.ParentId} that you manage: parentId names the dealer the new one sits under", statusCode: StatusCodes.Status404NotFound);
        }

        if (!DealerLevels.MayBeUnder(request.Level, parent.Level))
        {
            return TypedResults.Problem($"level must be below the parent's ({parent.Level}): sub_distributor under a distributor, retailer under either",
                statusCode: StatusCodes.Status400BadRequest);
        }

        string? error = null;
        if (request.Region is null || request.Region.TryBuild(out error) is null || (error = request.Region.UnmatchableCodes()) is not null)
        {
            return TypedResults.Problem($"region: {error ?? "required"}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            return TypedResults.Problem("country is an ISO 3166-1 alpha-2 code such as CN", statusCode: StatusCodes.Status400BadRequest);
        }

        var stored = new StoredDistributor(request.Id, request.Name, (request.Country ?? parent.Country)?.ToUpperInvariant(), request.Region.ToJson(), time.GetUtcNow())
        {
            ParentId = parent.Id,
            Level = request.Level!,
        };
        try
        {
            dealers.Add(stored);
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }

        var (keyId, secret) = keys.Create(stored.Level, stored.Id, stored.Name);
        return TypedResults.Created($"/api/dealers/{Uri.EscapeDataString(stored.Id)}", new CreatedDealer(ToDto(stored), keyId, secret));
    }

    private static Results<Ok<DealerDto>, NotFound> Get(string id, HttpContext context, DealerTree tree) =>
        tree.Reach(context.Caller(), id) is { } dealer ? TypedResults.Ok(ToDto(dealer)) : TypedResults.NotFound();

    private static Results<Ok<IReadOnlyList<DealerDto>>, NotFound> Children(string id, HttpContext context, DealerTree tree, DistributorStore dealers) =>
        tree.Reach(context.Caller(), id) is { } dealer
            ? TypedResults.Ok<IReadOnlyList<DealerDto>>([.. dealers.Children(dealer.Id).Select(ToDto)])
            : TypedResults.NotFound();

    private static Results<Ok<DealerReport>, NotFound> Report(
        string id, HttpContext context, DealerTree tree, DistributorStore dealers, CustodyStore custody, AlertStore alerts, CaseRebateStore rebates)
    {
        if (tree.Reach(context.Caller(), id) is not { } dealer)
        {
            return TypedResults.NotFound();
        }

        var (holds, scannedIn, scannedOut) = custody.Totals(dealer.Id);
        return TypedResults.Ok(new DealerReport(ToDto(dealer), [.. dealers.Children(dealer.Id).Select(d => d.Id)], holds, scannedIn, scannedOut,
            alerts.CountDiversionByGrade(dealer.Id), rebates.CountFor(dealer.Id)));
    }

    internal static DealerDto ToDto(StoredDistributor d) => new(d.Id, d.Name, d.Level, d.ParentId, d.Country, RegionDto.FromJson(d.RegionJson));
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Distribution;
using Provenance.Api.Epcis;
using Provenance.Api.Security;
using Provenance.Core.Epcis;
using Provenance.Core.Packaging;
using Provenance.Storage;
using Provenance.Storage.Epcis;
using Provenance.Storage.Packaging;

namespace Provenance.Api.Packaging;

/// <summary>
/// The packaging hierarchy for producers (<c>POST /api/containers</c>, <c>POST /api/containers/unpack</c>) and for
/// producers and distributors (<c>GET /api/containers/{code}</c>); each change writes its EPCIS aggregation events in
/// the same transaction. A distributor sees a container only when every bottle below it is allocated to it.
/// </summary>
public static class ContainersApi
{
    public static IEndpointRouteBuilder MapContainersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/containers").WithTags("Packaging");
        api.MapPost("/", Pack).RequireAuthorization(ApiPolicies.Producer).WithName("PackContainer")
            .WithSummary("Pack bottles and lower-level containers into a box, case or pallet (created when new); a child already in another container is 409 unless reassign is true.");
        api.MapPost("/unpack", Unpack).RequireAuthorization(ApiPolicies.Producer).WithName("UnpackContainer")
            .WithSummary("Take children out of a container (everything directly in it when no list is given).");
        api.MapGet("/{**code}", Get).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("GetContainer")
            .WithSummary("A container and the full tree below it with bottle counts; the code is its canonical path, e.g. /api/containers/00/{sscc} or /api/containers/01/{gtin}/21/{serial}.");
        return app;
    }

    private static Results<Created<PackResult>, ProblemHttpResult> Pack(PackRequest request, ContainerStore containers, TagStore tags, LifecycleEvents epcis, TimeProvider time)
    {
        if (!ContainerCode.TryParse(request.Code, out var code, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, $"code: {error}");
        }

        if (!PackagingLevels.TryParse(request.Level, out var level))
        {
            return Problem(StatusCodes.Status400BadRequest, $"level must be {PackagingLevels.Names}");
        }

        var bottleCount = request.Bottles?.Count ?? 0;
        var childCount = request.Containers?.Count ?? 0;
        if (bottleCount + childCount is 0 or > ShipmentsApi.MaxCodesPerRequest)
        {
            return Problem(StatusCodes.Status400BadRequest, $"bottles and containers: 1 to {ShipmentsApi.MaxCodesPerRequest} codes in all");
        }

        if (!TryReadChildren(request.Bottles, request.Containers, tags, out var bottles, out var children, out error))
        {
            return Problem(StatusCodes.Status400BadRequest, error);
        }

        var at = time.GetUtcNow();
        var outcome = containers.Pack(new ContainerPacking(code, level, bottles, children, request.Reassign), o => Events(o, code, at, epcis));
        if (outcome.Refusal is { } refusal)
        {
            return Problem(refusal.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, refusal.Reason);
        }

        var total = containers.ResolveBottles(code).Count;
        return TypedResults.Created($"/api/containers{code}", new PackResult(code, PackagingLevels.Name(level), outcome.Changed.Count, [.. outcome.MovedFrom.Keys], total));
    }

    private static Results<Ok<PackResult>, NotFound, ProblemHttpResult> Unpack(UnpackRequest request, ContainerStore containers, TagStore tags, LifecycleEvents epcis, TimeProvider time)
    {
        if (!ContainerCode.TryParse(request.Code, out var code, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, $"code: {error}");
        }

        if (containers.Find(code) is not { } container)
        {
            return TypedResults.NotFound();
        }

        if (!TryReadChildren(request.Bottles, request.Containers, tags, out var bottles, out var children, out error))
        {
            return Problem(StatusCodes.Status400BadRequest, error);
        }

        var at = time.GetUtcNow();
        var outcome = containers.Unpack(code, bottles, children, o => o.Changed.Count == 0 ? [] : [Row(epcis.Unpacking(at, ShipmentsApi.CaseEpc(code), o.Changed.Select(Epc)), epcis)]);
        if (outcome.Refusal is { } refusal)
        {
            return Problem(refusal.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, refusal.Reason);
        }

        return TypedResults.Ok(new PackResult(code, PackagingLevels.Name(container.Level), outcome.Changed.Count, [], containers.ResolveBottles(code).Count));
    }

    private static Results<Ok<ContainerTreeDto>, NotFound> Get(string code, HttpContext context, ContainerStore containers, ShipmentStore shipments)
    {
        if (!ContainerCode.TryParse("/" + code, out var canonical, out _) || containers.Tree(canonical) is not { } tree)
        {
            return TypedResults.NotFound();
        }

        var caller = context.Caller();
        if (caller.IsDistributor)
        {
            var below = containers.ResolveBottles(canonical);
            if (below.Count == 0 || shipments.AllocatedTo(caller.DistributorId!, below).Count != below.Count)
            {
                return TypedResults.NotFound();
            }
        }

        return TypedResults.Ok(ToDto(tree));
    }

    private static bool TryReadChildren(
        IReadOnlyList<string>? bottleUris, IReadOnlyList<string>? containerCodes, TagStore tags, out List<TagKey> bottles, out List<string> children, out string error)
    {
        bottles = [];
        children = [];
        foreach (var uri in bottleUris ?? [])
        {
            if (CodeRef.Tag(uri) is not { } key || tags.Find(key.Gtin, key.Serial) is null)
            {
                error = $"not an issued bottle: {uri}";
                return false;
            }

            bottles.Add(key);
        }

        foreach (var text in containerCodes ?? [])
        {
            if (!ContainerCode.TryParse(text, out var child, out error))
            {
                return false;
            }

            children.Add(child);
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The aggregation events of a packing: children taken out of their former containers, then the packing itself.</summary>
    private static IEnumerable<EpcisEventRow> Events(PackOutcome outcome, string code, DateTimeOffset at, LifecycleEvents epcis)
    {
        foreach (var (former, moved) in outcome.MovedFrom)
        {
            yield return Row(epcis.Unpacking(at, ShipmentsApi.CaseEpc(former), moved.Select(Epc)), epcis);
        }

        if (outcome.Changed.Count > 0)
        {
            yield return Row(epcis.Packing(at, ShipmentsApi.CaseEpc(code), outcome.Changed.Select(Epc)), epcis);
        }
    }

    private static EpcisEventRow Row(System.Text.Json.Nodes.JsonObject e, LifecycleEvents epcis) => EpcisEventRow.FromEvent(e, epcis.Names.Prefixes, EpcisSources.Producer);

    private static Epc Epc(PackedChild child) => child.Bottle is { } b ? Core.Epcis.Epc.ForBottle(b.Gtin, b.Serial) : ShipmentsApi.CaseEpc(child.Container!);

    private static ContainerTreeDto ToDto(ContainerTree tree) => new(
        tree.Code, PackagingLevels.Name(tree.Level), tree.ParentCode, tree.BottleCount,
        [.. tree.Bottles.Select(b => Core.Epcis.Epc.ForBottle(b.Gtin, b.Serial).Uri[Core.Epcis.Epc.CanonicalHost.Length..])], [.. tree.Containers.Select(ToDto)]);

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>Distributor accounts: <c>/api/distributors</c>. Distributors see only themselves.</summary>
public static class DistributorsApi
{
    public static IEndpointRouteBuilder MapDistributorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/distributors").WithTags("Distribution");
        api.MapPost("/", Create).RequireAuthorization(ApiPolicies.Producer).WithName("CreateDistributor")
            .WithSummary("Create a distributor with its sales region; the response shows its API key once.");
        api.MapGet("/{id}", Get).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("GetDistributor");
        api.MapGet("/{id}/report", Report).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("GetDistributorReport")
            .WithSummary("A distributor at a glance: shipments, bottles allocated to it now, and its alerts by kind (diverted, receipt_mismatch, ...).");
        api.MapGet("/{id}/shipments", Shipments).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("ListDistributorShipments");
        return app;
    }

    private static Results<Created<CreatedDistributor>, ProblemHttpResult> Create(CreateDistributorRequest request, DistributorStore distributors, ApiKeyStore keys, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 64 || string.IsNullOrWhiteSpace(request.Name))
        {
            return TypedResults.Problem("id (at most 64 characters) and name are required", statusCode: StatusCodes.Status400BadRequest);
        }

        string? error = null;
        if (request.Region is null || request.Region.TryBuild(out error) is null || (error = request.Region.UnmatchableCodes()) is not null)
        {
            return TypedResults.Problem($"region: {error ?? "required"}", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            distributors.Add(new StoredDistributor(request.Id, request.Name, request.Country?.ToUpperInvariant(), request.Region.ToJson(), time.GetUtcNow()));
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }

        var (keyId, secret) = keys.Create(ApiRoles.Distributor, request.Id, request.Name);
        var dto = new DistributorDto(request.Id, request.Name, request.Country?.ToUpperInvariant(), request.Region);
        return TypedResults.Created($"/api/distributors/{Uri.EscapeDataString(request.Id)}", new CreatedDistributor(dto, keyId, secret));
    }

    private static Results<Ok<DistributorDto>, NotFound> Get(string id, HttpContext context, DistributorStore distributors)
    {
        var d = Visible(context, id) ? distributors.Find(id) : null;
        return d is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(d));
    }

    private static Results<Ok<IReadOnlyList<ShipmentDto>>, NotFound> Shipments(string id, HttpContext context, DistributorStore distributors, ShipmentStore shipments)
    {
        if (!Visible(context, id) || distributors.Find(id) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok<IReadOnlyList<ShipmentDto>>([.. shipments.ShipmentsOf(id, 500).Select(ShipmentsApi.ToDto)]);
    }

    private static Results<Ok<DistributorReport>, NotFound> Report(string id, HttpContext context, DistributorStore distributors, ShipmentStore shipments, AlertStore alerts)
    {
        if (!Visible(context, id) || distributors.Find(id) is not { } distributor)
        {
            return TypedResults.NotFound();
        }

        var (shipmentCount, bottles) = shipments.Totals(id);
        return TypedResults.Ok(new DistributorReport(ToDto(distributor), shipmentCount, bottles, alerts.CountByKind(id)));
    }

    /// <summary>Producers and admins see every distributor; a distributor only itself (others are 404, not 403, so ids cannot be probed).</summary>
    internal static bool Visible(HttpContext context, string distributorId) => context.Caller().MaySee(distributorId);

    internal static DistributorDto ToDto(StoredDistributor d) => new(d.Id, d.Name, d.Country, RegionDto.FromJson(d.RegionJson));
}

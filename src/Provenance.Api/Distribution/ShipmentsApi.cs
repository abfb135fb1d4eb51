using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>Cases and shipments: <c>/api/cases</c>, <c>/api/shipments</c>.</summary>
public static class ShipmentsApi
{
    public const int MaxCodesPerRequest = 100_000;

    public static IEndpointRouteBuilder MapShipmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Distribution");
        api.MapPost("/cases", CreateCase).RequireAuthorization(ApiPolicies.Producer).WithName("CreateCase")
            .WithSummary("Aggregate bottle tags under a case code (Digital Link with AI 00 SSCC, or 01 + 21).");
        api.MapPost("/shipments", CreateShipment).RequireAuthorization(ApiPolicies.Producer).WithName("CreateShipment")
            .WithSummary("Allocate tags (by list, lot or case) to a distributor and sales region; bottles already shipped are refused (409) unless reassign is true.");
        api.MapGet("/shipments/{id:long}", GetShipment).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("GetShipment");
        return app;
    }

    private static Results<Created<CaseDto>, ProblemHttpResult> CreateCase(CreateCaseRequest request, ShipmentStore store, TagStore tags)
    {
        var code = CodeRef.Case(request.Code);
        if (code is null)
        {
            return TypedResults.Problem("code must be a Digital Link URI with AI 00 (SSCC) or 01 + 21", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Tags is null || request.Tags.Count is 0 or > MaxCodesPerRequest)
        {
            return TypedResults.Problem($"tags: 1 to {MaxCodesPerRequest} bottle URIs", statusCode: StatusCodes.Status400BadRequest);
        }

        var keys = request.Tags.Select(CodeRef.Tag).ToList();
        if (keys.Any(k => k is null || tags.Find(k.Value.Gtin, k.Value.Serial) is null))
        {
            return TypedResults.Problem("every tag must be an issued bottle's URI", statusCode: StatusCodes.Status400BadRequest);
        }

        var added = store.AddCase(code, [.. keys.Select(k => k!.Value)]);
        return TypedResults.Created($"/api/cases{code}", new CaseDto(code, added));
    }

    private static Results<Created<ShipmentDto>, ProblemHttpResult> CreateShipment(CreateShipmentRequest request, ShipmentStore store, DistributorStore distributors, TagStore tags)
    {
        var distributor = distributors.Find(request.DistributorId ?? string.Empty);
        if (distributor is null)
        {
            return TypedResults.Problem($"distributor {request.DistributorId} does not exist", statusCode: StatusCodes.Status400BadRequest);
        }

        var region = request.Region ?? RegionDto.FromJson(distributor.RegionJson);
        if (region.TryBuild(out var error) is null || (request.Region is not null && (error = request.Region.UnmatchableCodes()) is not null))
        {
            return TypedResults.Problem($"region: {error}", statusCode: StatusCodes.Status400BadRequest);
        }

        var keys = new HashSet<TagKey>();
        foreach (var uri in request.Tags ?? [])
        {
            if (CodeRef.Tag(uri) is not { } key || tags.Find(key.Gtin, key.Serial) is null)
            {
                return TypedResults.Problem($"not an issued bottle: {uri}", statusCode: StatusCodes.Status400BadRequest);
            }

            keys.Add(key);
        }

        foreach (var uri in request.Cases ?? [])
        {
            var bottles = CodeRef.Case(uri) is { } code ? store.CaseTags(code) : [];
            if (bottles.Count == 0)
            {
                return TypedResults.Problem($"unknown case: {uri}", statusCode: StatusCodes.Status400BadRequest);
            }

            keys.UnionWith(bottles);
        }

        if (request.Lot is not null)
        {
            if (!Gtin.TryParse(request.Gtin, out var gtin, out _))
            {
                return TypedResults.Problem("a lot needs its gtin", statusCode: StatusCodes.Status400BadRequest);
            }

            keys.UnionWith(store.LotTags(gtin.Value, request.Lot));
        }

        if (keys.Count is 0 or > MaxCodesPerRequest * 10)
        {
            return TypedResults.Problem("a shipment needs tags, cases or a lot that has bottles", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!request.Reassign && store.AlreadyShipped(keys, 5) is { Count: > 0 } shipped)
        {
            var examples = string.Join(", ", shipped.Select(s => $"{s.Tag.Gtin}/{s.Tag.Serial} (shipment {s.ShipmentId})"));
            return TypedResults.Problem(
                $"some bottles were already shipped, e.g. {examples}; to move them to this distributor on purpose, send \"reassign\": true",
                statusCode: StatusCodes.Status409Conflict);
        }

        var shipment = store.CreateShipment(distributor.Id, region.ToJson(), keys);
        return TypedResults.Created($"/api/shipments/{shipment.Id}", ToDto(shipment));
    }

    private static Results<Ok<ShipmentDto>, NotFound> GetShipment(long id, HttpContext context, ShipmentStore store)
    {
        var shipment = store.FindShipment(id);
        return shipment is null || !DistributorsApi.Visible(context, shipment.DistributorId) ? TypedResults.NotFound() : TypedResults.Ok(ToDto(shipment));
    }

    internal static ShipmentDto ToDto(StoredShipment s) => new(s.Id, s.DistributorId, RegionDto.FromJson(s.RegionJson), s.TagCount, s.CreatedAt);
}

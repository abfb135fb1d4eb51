using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Which distributor a bottle belongs to: <c>GET /api/tags/{gtin}/{serial}/distributor</c>. Producers see every bottle;
/// a distributor only its own (anything else is 404, as if the bottle were not shipped, so ownership cannot be probed).
/// </summary>
public static class TagOwnerApi
{
    public static IEndpointRouteBuilder MapTagOwnerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tags/{gtin}/{serial}/distributor", Get).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithTags("Distribution")
            .WithName("GetTagDistributor").WithSummary("The distributor and shipment a bottle was allocated to (404 when it was never shipped, or not to the calling distributor).");
        return app;
    }

    private static Results<Ok<TagOwnerDto>, NotFound> Get(string gtin, string serial, HttpContext context, ShipmentStore shipments, DistributorStore distributors)
    {
        var shipment = shipments.FindForTag(gtin, serial);
        if (shipment is null || !DistributorsApi.Visible(context, shipment.DistributorId) || distributors.Find(shipment.DistributorId) is not { } distributor)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new TagOwnerDto(gtin, serial, DistributorsApi.ToDto(distributor), ShipmentsApi.ToDto(shipment)));
    }
}

/// <summary>A bottle's owner: the distributor and the shipment (with its sales region) that allocated it.</summary>
public sealed record TagOwnerDto(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("distributor")] DistributorDto Distributor,
    [property: JsonPropertyName("shipment")] ShipmentDto Shipment);

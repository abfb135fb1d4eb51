using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Distribution;
using Provenance.Api.Epcis;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Producer;

/// <summary>Recalls and voids (producer), seal-opened events (producer, retailers and NFC readers with distributor keys), and a tag's scan history.</summary>
public static class TagEventsApi
{
    public static IEndpointRouteBuilder MapTagEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Tag events");
        api.MapPost("/recalls", Recall).RequireApiKey(ApiRoles.Producer).WithName("Recall").WithSummary("Recall a lot (gtin + lot) or single tags.");
        api.MapPost("/voids", Void).RequireApiKey(ApiRoles.Producer).WithName("Void").WithSummary("Void tags (damaged, misprinted, destroyed labels).");
        api.MapPost("/opened", Opened).RequireApiKey(ApiRoles.Producer, ApiRoles.Distributor).WithName("SealOpened")
            .WithSummary("Record seal-opened events (NFC tamper loop, scratch-off inner code, or a retailer's 'opened' scan).");
        api.MapGet("/tags/{gtin}/{serial}/scans", Scans).RequireApiKey(ApiRoles.Producer).WithName("TagScans").WithSummary("A tag's scan history (coarsened locations).");
        return app;
    }

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Recall(TagEventRequest request, TagEventStore store, LifecycleEvents epcis, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (request.Lot is not null)
        {
            if (!Gtin.TryParse(request.Gtin, out var gtin, out _))
            {
                return TypedResults.Problem("a lot recall needs the lot's gtin", statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.Lot.Length is 0 or > 20 || !Cset82.IsValid(request.Lot))
            {
                return TypedResults.Problem("lot must be 1-20 characters of GS1 CSET 82", statusCode: StatusCodes.Status400BadRequest);
            }

            var at = request.At ?? now;
            var recall = epcis.Recalled(at, [], Epc.ForLot(gtin.Value, request.Lot), request.Reason);
            store.Add([new TagEvent(TagEventStore.Recalled, gtin.Value, null, request.Lot, at, request.Reason, "producer")], Row(recall, epcis));
            return TypedResults.Ok(new TagEventsResult(1));
        }

        return Add(request, TagEventStore.Recalled, "producer", store, now, (at, bottles) => epcis.Recalled(at, bottles, null, request.Reason), epcis);
    }

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Void(TagEventRequest request, TagEventStore store, LifecycleEvents epcis, TimeProvider time) =>
        Add(request, TagEventStore.Voided, "producer", store, time.GetUtcNow(), (at, bottles) => epcis.Voided(at, bottles, request.Reason), epcis);

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Opened(TagEventRequest request, TagEventStore store, LifecycleEvents epcis, TimeProvider time) =>
        request.Source is not ("nfc" or "scratch" or "retailer")
            ? TypedResults.Problem("source must be nfc, scratch or retailer", statusCode: StatusCodes.Status400BadRequest)
            : Add(request, TagEventStore.Opened, request.Source, store, time.GetUtcNow(), (at, bottles) => epcis.Opened(at, bottles, request.Source, request.Reason), epcis);

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Add(
        TagEventRequest request, string kind, string source, TagEventStore store, DateTimeOffset now, Func<DateTimeOffset, IReadOnlyCollection<Epc>, System.Text.Json.Nodes.JsonObject> report, LifecycleEvents epcis)
    {
        if (request.Tags is null || request.Tags.Count is 0 or > ShipmentsApi.MaxCodesPerRequest)
        {
            return TypedResults.Problem($"tags: 1 to {ShipmentsApi.MaxCodesPerRequest} bottle URIs", statusCode: StatusCodes.Status400BadRequest);
        }

        var events = new List<TagEvent>(request.Tags.Count);
        foreach (var uri in request.Tags)
        {
            if (CodeRef.Tag(uri) is not { } key)
            {
                return TypedResults.Problem($"not a bottle URI: {uri}", statusCode: StatusCodes.Status400BadRequest);
            }

            events.Add(new TagEvent(kind, key.Gtin, key.Serial, null, request.At ?? now, request.Reason, source));
        }

        var at = request.At ?? now;
        var bottles = events.Select(e => Epc.ForBottle(e.Gtin, e.Serial!)).DistinctBy(e => e.Uri).ToList();
        store.Add(events, Row(report(at, bottles), epcis));
        return TypedResults.Ok(new TagEventsResult(events.Count));
    }

    private static EpcisEventRow Row(System.Text.Json.Nodes.JsonObject @event, LifecycleEvents epcis) =>
        EpcisEventRow.FromEvent(@event, epcis.Names.Prefixes, EpcisSources.Producer);

    private static Ok<IReadOnlyList<ScanRecord>> Scans(string gtin, string serial, ScanStore scans) => TypedResults.Ok(scans.History(gtin, serial, 1000));
}

/// <summary>Tags (bottle URIs) or a lot (gtin + lot, recalls only), with an optional time, reason and source.</summary>
public sealed record TagEventRequest(
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags,
    [property: JsonPropertyName("gtin")] string? Gtin = null,
    [property: JsonPropertyName("lot")] string? Lot = null,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("source")] string? Source = null,
    [property: JsonPropertyName("at")] DateTimeOffset? At = null);

public sealed record TagEventsResult([property: JsonPropertyName("recorded")] int Recorded);

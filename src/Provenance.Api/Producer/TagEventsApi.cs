using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Distribution;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Api.Producer;

/// <summary>Recalls and voids (producer), seal-opened events (producer, retailers and NFC readers with distributor keys), and a tag's scan history.</summary>
public static class TagEventsApi
{
    /// <summary>Most tags one seal-opened request may carry (each one is checked against its MAC and shipment).</summary>
    public const int MaxOpenedPerRequest = 1_000;

    private const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapTagEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Tag events");
        api.MapPost("/recalls", Recall).RequireAuthorization(ApiPolicies.Producer).WithName("Recall").WithSummary("Recall a lot (gtin + lot) or single tags.");
        api.MapPost("/voids", Void).RequireAuthorization(ApiPolicies.Producer).WithName("Void").WithSummary("Void tags (damaged, misprinted, destroyed labels).");
        api.MapPost("/opened", Opened).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("SealOpened")
            .WithSummary("Record seal-opened events (NFC tamper loop, scratch-off inner code, or a retailer's 'opened' scan).")
            .WithDescription("Each tag is the bottle's URI as printed, MAC included. Distributors may mark only bottles shipped to them (others: 404). The event's time is the server's; a client 'at' is kept as a claim.");
        api.MapGet("/tags/{gtin}/{serial}/scans", Scans).RequireAuthorization(ApiPolicies.Producer).WithName("TagScans").WithSummary("A tag's scan history (coarsened locations).");
        return app;
    }

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Recall(TagEventRequest request, HttpContext context, TagEventStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (request.Reason is { Length: > MaxReasonLength })
        {
            return TypedResults.Problem($"reason: at most {MaxReasonLength} characters", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Lot is not null)
        {
            if (!Gtin.TryParse(request.Gtin, out var gtin, out _) || request.Lot.Length is 0 or > 20)
            {
                return TypedResults.Problem("a lot recall needs the lot's gtin and the lot (1-20 characters)", statusCode: StatusCodes.Status400BadRequest);
            }

            store.Add([new TagEvent(TagEventStore.Recalled, gtin.Value, null, request.Lot, request.At ?? now, request.Reason, "producer") { RecordedBy = context.Caller().KeyId }]);
            return TypedResults.Ok(new TagEventsResult(1));
        }

        return Add(request, TagEventStore.Recalled, "producer", context, store, now);
    }

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Void(TagEventRequest request, HttpContext context, TagEventStore store, TimeProvider time) =>
        request.Reason is { Length: > MaxReasonLength }
            ? TypedResults.Problem($"reason: at most {MaxReasonLength} characters", statusCode: StatusCodes.Status400BadRequest)
            : Add(request, TagEventStore.Voided, "producer", context, store, time.GetUtcNow());

    /// <summary>
    /// Seal-opened events. Each tag must be a full bottle URI whose MAC verifies (a code read off the bottle, not typed from
    /// a serial number); a distributor may only mark bottles shipped to it (others are 404, as if they did not exist). The
    /// time recorded is the server's: a client's <c>at</c> is kept as a claim, so nobody can back-date an opening and turn
    /// later scans of a genuine bottle into <c>suspect_clone</c>.
    /// </summary>
    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Opened(
        TagEventRequest request, HttpContext context, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments, TagEventStore store, TimeProvider time)
    {
        if (request.Source is not ("nfc" or "scratch" or "retailer"))
        {
            return TypedResults.Problem("source must be nfc, scratch or retailer", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Reason is { Length: > MaxReasonLength } || request.Tags is null || request.Tags.Count is 0 or > MaxOpenedPerRequest)
        {
            return TypedResults.Problem($"tags: 1 to {MaxOpenedPerRequest} bottle URIs as printed (with k and m); reason: at most {MaxReasonLength} characters", statusCode: StatusCodes.Status400BadRequest);
        }

        var caller = context.Caller();
        var now = time.GetUtcNow();
        var events = new List<TagEvent>(request.Tags.Count);
        foreach (var uri in request.Tags)
        {
            if (!DigitalLink.TryParse(uri?.Trim(), out var link, out _) || link!.Gtin is not { } gtin || link.Serial is not { } serial || !codes.Verify(link).IsAuthentic)
            {
                return TypedResults.Problem($"not a bottle URI with a valid MAC (k, m): {uri}", statusCode: StatusCodes.Status400BadRequest);
            }

            var shipment = caller.IsDistributor ? shipments.FindForTag(gtin.Value, serial) : null;
            if (tags.Find(gtin.Value, serial) is null || (caller.IsDistributor && (shipment is null || !caller.MaySee(shipment.DistributorId))))
            {
                return TypedResults.Problem($"no bottle {(caller.IsDistributor ? "shipped to you " : string.Empty)}has the code {uri}", statusCode: StatusCodes.Status404NotFound);
            }

            events.Add(new TagEvent(TagEventStore.Opened, gtin.Value, serial, null, now, request.Reason, request.Source) { ClaimedAt = request.At, RecordedBy = caller.KeyId });
        }

        store.Add(events);
        return TypedResults.Ok(new TagEventsResult(events.Count));
    }

    private static Results<Ok<TagEventsResult>, ProblemHttpResult> Add(TagEventRequest request, string kind, string source, HttpContext context, TagEventStore store, DateTimeOffset now)
    {
        if (request.Tags is null || request.Tags.Count is 0 or > ShipmentsApi.MaxCodesPerRequest)
        {
            return TypedResults.Problem($"tags: 1 to {ShipmentsApi.MaxCodesPerRequest} bottle URIs", statusCode: StatusCodes.Status400BadRequest);
        }

        var events = new List<TagEvent>(request.Tags.Count);
        var by = context.Caller().KeyId;
        foreach (var uri in request.Tags)
        {
            if (CodeRef.Tag(uri) is not { } key)
            {
                return TypedResults.Problem($"not a bottle URI: {uri}", statusCode: StatusCodes.Status400BadRequest);
            }

            events.Add(new TagEvent(kind, key.Gtin, key.Serial, null, request.At ?? now, request.Reason, source) { RecordedBy = by });
        }

        store.Add(events);
        return TypedResults.Ok(new TagEventsResult(events.Count));
    }

    private static Ok<IReadOnlyList<ScanRecord>> Scans(string gtin, string serial, ScanStore scans) => TypedResults.Ok(scans.History(gtin, serial, 1000));
}

/// <summary>Tags (bottle URIs) or a lot (gtin + lot, recalls only), with an optional time (for seal-opened events only a claim), reason and source.</summary>
public sealed record TagEventRequest(
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags,
    [property: JsonPropertyName("gtin")] string? Gtin = null,
    [property: JsonPropertyName("lot")] string? Lot = null,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("source")] string? Source = null,
    [property: JsonPropertyName("at")] DateTimeOffset? At = null);

public sealed record TagEventsResult([property: JsonPropertyName("recorded")] int Recorded);

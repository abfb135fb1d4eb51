using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;
using Provenance.Core.Epcis;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Epcis;

/// <summary>
/// The EPCIS 2.0 query interface: <c>GET /epcis/events</c> with the REST query parameters and paging (<c>perPage</c>,
/// <c>nextPageToken</c>, <c>Link: rel="next"</c>), and <c>GET /epcis/events/{eventID}</c>. Producers see every event;
/// a distributor sees the events that concern it, and the whole history of bottles currently allocated to it.
/// </summary>
public static class EpcisQueryApi
{
    public const string JsonContentType = "application/json";

    public static IEndpointRouteBuilder MapEpcisQueryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/epcis").WithTags("EPCIS");
        api.MapGet("/events", Events).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("EpcisEvents")
            .WithSummary("EPCIS 2.0 events as an EPCISQueryDocument.")
            .WithDescription($"Query parameters (pipe-delimited lists): {string.Join(", ", EpcisQueryParameters.Supported)}. Other EPCIS query parameters are refused with 400. The next page is in the Link header (rel=\"next\").")
            .Produces(StatusCodes.Status200OK, contentType: JsonContentType).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/events/{**eventId}", Event).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithName("EpcisEvent")
            .WithSummary("One EPCIS event by its id (URL-encode the id: ni:///sha-256;…?ver=CBV2.0).")
            .Produces(StatusCodes.Status200OK, contentType: JsonContentType).Produces(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult Events(HttpContext context, EpcisEventStore repository, ShipmentStore shipments, LifecycleEvents epcis, IOptions<EpcisOptions> options, TimeProvider time)
    {
        var caller = context.Caller();
        var (query, filters, error) = EpcisQueryParameters.Parse(context.Request.Query);
        if (query is null)
        {
            return QueryProblem(error!);
        }

        var perPage = options.Value.DefaultPerPage;
        if (context.Request.Query.TryGetValue("perPage", out var perPageText)
            && (!int.TryParse(perPageText.ToString(), out perPage) || perPage < 1))
        {
            return QueryProblem("perPage must be a positive integer");
        }

        perPage = Math.Min(perPage, options.Value.MaxPerPage);
        var fingerprint = EpcisPageToken.Fingerprint(filters, caller.KeyId);
        long after = 0;
        if (context.Request.Query.TryGetValue("nextPageToken", out var token) && !EpcisPageToken.TryRead(token.ToString(), fingerprint, out after))
        {
            return QueryProblem("nextPageToken does not belong to this query; repeat the query with the same filters");
        }

        query = Visible(query, caller, shipments) with { AfterSequence = after, Limit = perPage + 1 };
        var found = repository.Query(query);
        var page = found.Take(perPage).ToList();
        if (found.Count > perPage)
        {
            var next = string.Join('&', filters.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")
                .Append($"perPage={perPage}").Append($"nextPageToken={EpcisPageToken.Create(page[^1].Sequence, fingerprint)}"));
            context.Response.Headers.Link = $"<{context.Request.PathBase}{context.Request.Path}?{next}>; rel=\"next\"";
        }

        return Document(context, page, epcis, time);
    }

    private static IResult Event(string eventId, HttpContext context, EpcisEventStore repository, ShipmentStore shipments, LifecycleEvents epcis, TimeProvider time)
    {
        var caller = context.Caller();
        var id = Uri.UnescapeDataString(eventId);
        var stored = repository.Find(id);
        if (stored is null)
        {
            return TypedResults.NotFound();
        }

        if (caller.Role == ApiRoles.Distributor && stored.DistributorId != caller.DistributorId)
        {
            // Visible only when it names a bottle allocated to this distributor: the same rule as the query.
            var named = Named(stored);
            var visible = shipments.AllocatedTo(caller.DistributorId ?? string.Empty, EpcisEventStore.Bottles(named));
            if (visible.Count == 0)
            {
                return TypedResults.NotFound();
            }
        }

        return Document(context, [stored], epcis, time);
    }

    /// <summary>A distributor's query limited to what it may see.</summary>
    internal static EpcisQuery Visible(EpcisQuery query, ApiCaller caller, ShipmentStore shipments)
    {
        if (caller.Role != ApiRoles.Distributor)
        {
            return query;
        }

        var me = caller.DistributorId ?? string.Empty;
        var allocated = shipments.AllocatedTo(me, query.AnyBottles).Select(b => Epc.ForBottle(b.Gtin, b.Serial).Uri).ToList();
        return query with { VisibleToDistributor = me, VisibleEpcs = allocated };
    }

    /// <summary>Stored events as an EPCISQueryDocument, each with its recordTime and the prefixes the events use.</summary>
    internal static IResult Document(HttpContext context, IReadOnlyList<StoredEpcisEvent> events, LifecycleEvents epcis, TimeProvider time)
    {
        var (prefixes, rendered) = EpcisRendering.ForDocument(events, epcis.Names.Prefixes);
        var document = EpcisDocuments.QueryDocument(rendered, prefixes, time.GetUtcNow());
        context.Response.Headers["GS1-EPCIS-Version"] = "2.0.0";
        context.Response.Headers["GS1-CBV-Version"] = "2.0.0";
        return TypedResults.Text(document.ToJsonString(), JsonContentType);
    }

    private static List<string> Named(StoredEpcisEvent stored)
    {
        var json = JsonNode.Parse(stored.Json)!.AsObject();
        return [.. new[] { "epcList", "childEPCs" }.SelectMany(f => json[f] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>().Select(EpcisEventRow.Canonical)];
    }

    private static IResult QueryProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "QueryParameterException", type: "epcisException:QueryParameterException");
}

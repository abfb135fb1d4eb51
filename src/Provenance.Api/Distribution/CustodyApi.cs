using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Dealer custody: <c>POST /api/custody/scan-out</c> (a dealer ships bottles or cases to one of its child dealers; only
/// what it holds), <c>POST /api/custody/scan-in</c> (a dealer receives), both with the place in the query like receipts
/// (<c>lat</c>, <c>lon</c>, <c>acc</c>, <c>country</c>); <c>GET /api/tags/{gtin}/{serial}/custody</c> (the chain, for the
/// producer and the dealers on it); <c>GET /api/diversion/evidence</c> (weak evidence, producer only). Every scan is
/// scored by <see cref="CustodyScorer"/>.
/// </summary>
public static class CustodyApi
{
    public static IEndpointRouteBuilder MapCustodyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Distribution");
        api.MapPost("/custody/scan-in", ScanIn).RequireAuthorization(ApiPolicies.Dealer).WithName("CustodyScanIn")
            .WithSummary("A dealer receives bottles or cases (body: codes); the place is in the query (lat, lon, acc, country). Scans outside the responsible dealer's region, or by another branch, raise a graded diversion alert.");
        api.MapPost("/custody/scan-out", ScanOut).RequireAuthorization(ApiPolicies.Dealer).WithName("CustodyScanOut")
            .WithSummary("A dealer ships bottles or cases it holds to one of its child dealers (body: codes, to); the place is in the query.");
        api.MapGet("/tags/{gtin}/{serial}/custody", Chain).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("GetTagCustody")
            .WithSummary("A bottle's chain of custody: the producer's shipment, each dealer scan, the holder now (404 for dealers not on the chain).");
        api.MapGet("/diversion/evidence", Evidence).RequireAuthorization(ApiPolicies.Producer).WithName("ListDiversionEvidence")
            .WithSummary("Weak diversion evidence (consumer scans outside the region), which alerts no dealer by itself; filter by distributorId, gtin and serial.");
        return app;
    }

    private static Results<Ok<CustodyScanResult>, ProblemHttpResult> ScanIn(
        CustodyScanRequest request, HttpContext context, DealerTree tree, CustodyScorer scorer, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments,
        RefillCheck refills, ScanRecorder recorder, IOptions<CustodyOptions> options, TimeProvider time)
    {
        if (Prepare(request, context, tree, codes, tags, shipments, options.Value, out var me, out var place, out var resolved) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var notAddressed = new List<string>();
        var bottles = 0;
        foreach (var line in resolved.Lines)
        {
            bottles += line.Bottles.Count;
            if (scorer.ScanIn(me, line, place, "api", now).Count > 0)
            {
                notAddressed.Add(line.Code);
            }

            refills.Check(line.Bottles, me.Id, ReceiptPlace.Describe(place), now);
            foreach (var bottle in line.Bottles)
            {
                // Custody, like a warehouse receipt: in the bottle's history as trade handling it, never as a consumer scan.
                recorder.Record(new ScanRecord(bottle.Gtin, bottle.Serial, now, "receipt", place.Point?.Latitude, place.Point?.Longitude, "distributor", null, place.Country, place.AccuracyMeters));
            }
        }

        return TypedResults.Ok(Result(request, bottles, notAddressed, [], resolved, me, place));
    }

    private static Results<Ok<CustodyScanResult>, ProblemHttpResult> ScanOut(
        CustodyScanRequest request, HttpContext context, DealerTree tree, CustodyScorer scorer, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments,
        IOptions<CustodyOptions> options, TimeProvider time)
    {
        if (Prepare(request, context, tree, codes, tags, shipments, options.Value, out var me, out var place, out var resolved) is { } problem)
        {
            return problem;
        }

        if (request.To is null || tree.Find(request.To) is not { } child || child.ParentId != me.Id)
        {
            return TypedResults.Problem($"no dealer {request.To} under you: 'to' names one of your own child dealers (GET /api/dealers/{me.Id}/children)", statusCode: StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        var notHeld = new List<string>();
        var bottles = 0;
        foreach (var line in resolved.Lines)
        {
            bottles += line.Bottles.Count;
            if (scorer.ScanOut(me, child, line, place, now).Count > 0)
            {
                notHeld.Add(line.Code);
            }
        }

        return TypedResults.Ok(Result(request, bottles, [], notHeld, resolved, me, place));
    }

    private static Results<Ok<CustodyChainDto>, NotFound> Chain(
        string gtin, string serial, HttpContext context, CustodyStore custody, ShipmentStore shipments, DiversionEvidenceStore evidence)
    {
        var caller = context.Caller();
        var shipment = shipments.FindForTag(gtin, serial);
        var links = custody.Chain(gtin, serial);
        var onChain = links.SelectMany(l => new[] { l.DealerId, l.Counterparty }).Append(shipment?.DistributorId).OfType<string>();
        if ((shipment is null && links.Count == 0) || (caller.IsDistributor && !onChain.Contains(caller.DistributorId)))
        {
            return TypedResults.NotFound();
        }

        var last = links.Count > 0 ? links[^1] : null;
        var weak = caller.IsDistributor ? null
            : evidence.List(null, gtin, serial, null, 100).Select(e => new EvidenceDto(e.Grade, DiversionGrades.ConsumerScanOutsideRegion, e.Gtin, e.Serial, e.DistributorId, e.Lat, e.Lon, e.Country, e.At)).ToList();
        return TypedResults.Ok(new CustodyChainDto(gtin, serial, shipment?.DistributorId, shipment?.Id,
            [.. links.Select(l => new CustodyLinkDto(l.Action, l.DealerId, l.Counterparty, l.CaseCode, l.Source, l.Lat, l.Lon, l.Country, l.InsideRegion, l.At))],
            last?.DealerId ?? shipment?.DistributorId, last?.Action == CustodyEvent.Out ? last.Counterparty : null, weak));
    }

    private static Ok<IReadOnlyList<EvidenceDto>> Evidence(DiversionEvidenceStore evidence, string? distributorId, string? gtin, string? serial, DateTimeOffset? since, int? limit) =>
        TypedResults.Ok<IReadOnlyList<EvidenceDto>>([.. evidence.List(distributorId, gtin, serial, since, Math.Clamp(limit ?? 100, 1, 1_000))
            .Select(e => new EvidenceDto(e.Grade, DiversionGrades.ConsumerScanOutsideRegion, e.Gtin, e.Serial, e.DistributorId, e.Lat, e.Lon, e.Country, e.At))]);

    /// <summary>The checks both scans share: a dealer key, a valid place, a bounded list of codes.</summary>
    private static ProblemHttpResult? Prepare(
        CustodyScanRequest request, HttpContext context, DealerTree tree, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments, CustodyOptions options,
        out StoredDistributor me, out Core.Verdicts.ScanLocation place, out ResolvedCodes resolved)
    {
        me = null!;
        place = Core.Verdicts.ScanLocation.None;
        resolved = new ResolvedCodes([], [], []);
        if (tree.Self(context.Caller()) is not { } self)
        {
            return TypedResults.Problem("this key is not bound to a dealer", statusCode: StatusCodes.Status403Forbidden);
        }

        me = self;
        if (ReceiptPlace.Parse(context.Request.Query, self.Country, out var placeError) is not { } location)
        {
            return TypedResults.Problem(placeError, statusCode: StatusCodes.Status400BadRequest);
        }

        place = location;
        if (request.Codes is not { Count: > 0 } list || list.Count > options.MaxCodesPerScan)
        {
            return TypedResults.Problem($"codes: 1 to {options.MaxCodesPerScan} bottle or case URIs", statusCode: StatusCodes.Status400BadRequest);
        }

        resolved = CustodyCodes.Resolve(list, codes, tags, shipments);
        return null;
    }

    private static CustodyScanResult Result(
        CustodyScanRequest request, int bottles, List<string> notAddressed, List<string> notHeld, ResolvedCodes resolved, StoredDistributor me, Core.Verdicts.ScanLocation place) =>
        new(request.Codes!.Count, bottles, notAddressed, notHeld, resolved.Unknown, resolved.Counterfeit,
            place.IsKnown && DealerTree.Region(me)?.Contains(place) == false);
}

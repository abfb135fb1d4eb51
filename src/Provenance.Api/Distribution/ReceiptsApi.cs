using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Provenance.Api.Alerts;
using Provenance.Api.Epcis;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Distribution;

/// <summary>
/// Warehouse receipts: <c>POST /api/receipts?lat=..&amp;lon=..&amp;acc=..&amp;country=..</c> by a distributor, body
/// <c>text/plain</c> with one bottle or case URI per line (streamed, at most <see cref="ApiOptions.MaxReceiptCodes"/>).
/// Every issued bottle in it is added to its history as a distributor receipt at the declared place (custody, never
/// shown to consumers). Alerts go to whoever must act: bottles shipped to another distributor alert their owner and
/// name the receiver, the place, and for a case its code and count; never-shipped bottles, counterfeit codes and a
/// place outside the receiver's own region each have their own reason; a bottle already opened is a suspected refill
/// (<see cref="RefillCheck"/>). The receipt is also one EPCIS
/// receiving event naming every issued bottle received.
/// </summary>
public static class ReceiptsApi
{
    private const int CodesInAlert = 20;

    public static IEndpointRouteBuilder MapReceiptsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/receipts", ReceiveAsync).RequireAuthorization(ApiPolicies.Distributor).WithTags("Distribution").WithName("PostReceipt")
            .WithSummary("Report the codes scanned at the distributor's warehouse (query: lat and lon together, acc in metres, country ISO 3166-1); lists codes not allocated to it, never shipped, allocated to another region, unknown or counterfeit.")
            .Accepts<string>("text/plain")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The place is read from the query by ReceiptPlace (so a bad value gets a message saying what to fix): declare it here.
                operation.Parameters ??= [];
                operation.Parameters.Add(Query("lat", JsonSchemaType.Number, "Latitude of the warehouse, decimal degrees (-90..90); with lon."));
                operation.Parameters.Add(Query("lon", JsonSchemaType.Number, "Longitude of the warehouse, decimal degrees (-180..180); with lat."));
                operation.Parameters.Add(Query("acc", JsonSchemaType.Number, "Uncertainty of lat/lon in metres (0 or more)."));
                operation.Parameters.Add(Query("country", JsonSchemaType.String, "ISO 3166-1 alpha-2 country of the warehouse; without lat/lon the distributor's own country is assumed."));
                return Task.CompletedTask;
            });
        return app;
    }

    private static async Task<Results<Ok<ReceiptResult>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments, DistributorStore distributors, ScanRecorder recorder,
        AlertService alerts, RefillCheck refills, CustodyStore custody, EpcisEventStore repository, LifecycleEvents epcis, IOptions<ApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var distributor = distributors.Find(context.Caller().DistributorId ?? string.Empty);
        if (distributor is null)
        {
            return TypedResults.Problem("this key is not bound to a distributor", statusCode: StatusCodes.Status403Forbidden);
        }

        if (ReceiptPlace.Parse(context.Request.Query, distributor.Country, out var placeError) is not { } location)
        {
            return TypedResults.Problem(placeError, statusCode: StatusCodes.Status400BadRequest);
        }

        var place = ReceiptPlace.Describe(location);
        var now = time.GetUtcNow();
        List<string> notOurs = [], neverShipped = [], otherRegion = [], unknown = [], counterfeit = [];
        var received = 0;
        var accepted = 0;
        var receivedBottles = new List<Epc>();
        var shipmentIds = new HashSet<long>();
        using var reader = new StreamReader(context.Request.Body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var text = line.Split(',', 2)[0].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (++received > options.Value.MaxReceiptCodes)
            {
                return TypedResults.Problem($"at most {options.Value.MaxReceiptCodes} codes per receipt; split it", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            string? caseCode = null;
            IReadOnlyList<TagKey> bottles;
            if (CodeRef.Case(text) is { } c && shipments.CaseTags(c) is { Count: > 0 } inCase)
            {
                (caseCode, bottles) = (c, inCase);
            }
            else if (!DigitalLink.TryParse(text, out var link, out _) || !codes.Verify(link!).IsAuthentic)
            {
                counterfeit.Add(text);
                continue;
            }
            else
            {
                bottles = link!.Gtin is { } g && link.Serial is { } s && tags.Find(g.Value, s) is not null ? [new TagKey(g.Value, s)] : [];
            }

            if (bottles.Count == 0)
            {
                unknown.Add(text);
                continue;
            }

            foreach (var bottle in bottles)
            {
                receivedBottles.Add(Epc.ForBottle(bottle.Gtin, bottle.Serial));
                if (shipments.FindForTag(bottle.Gtin, bottle.Serial) is { } own && own.DistributorId == distributor.Id)
                {
                    shipmentIds.Add(own.Id);
                }
            }

            var verdict = Judge(new ReceiptLine(text, caseCode, bottles), distributor.Id, location, place, shipments, recorder, alerts, now);
            refills.Check(bottles, distributor.Id, place, now);
            var inside = location.IsKnown ? DealerTree.Region(distributor)?.Contains(location) : null;
            custody.Add([.. bottles.Select(b => new CustodyEvent(0, b.Gtin, b.Serial, CustodyEvent.In, distributor.Id, null, caseCode, "receipt",
                location.Point?.Latitude, location.Point?.Longitude, location.Country, inside, now))]);
            (verdict switch
            {
                LineVerdict.NotOurs => notOurs,
                LineVerdict.NeverShipped => neverShipped,
                LineVerdict.OtherRegion => otherRegion,
                _ => null,
            })?.Add(text);
            accepted += verdict == LineVerdict.Accepted ? 1 : 0;
        }

        if (counterfeit.Count > 0)
        {
            alerts.Raise(AlertService.ReceiptMismatch, null, null, distributor.Id,
                new { reason = ReceiptReasons.CounterfeitCodes, receiver = distributor.Id, place, count = counterfeit.Count, codes = counterfeit.Take(CodesInAlert).Select(Clip) });
        }

        var outsideOwnRegion = location.IsKnown && RegionDto.FromJson(distributor.RegionJson).TryBuild(out _)?.Contains(location) == false;
        if (outsideOwnRegion && received - counterfeit.Count - unknown.Count > 0)
        {
            alerts.Raise(AlertService.ReceiptMismatch, null, null, distributor.Id,
                new { reason = ReceiptReasons.OutsideReceiverRegion, receiver = distributor.Id, place, count = received - counterfeit.Count - unknown.Count });
        }

        if (receivedBottles.Count > 0)
        {
            var receiving = epcis.Receiving(now, distributor.Id, receivedBottles.DistinctBy(b => b.Uri), shipmentIds, location.Point?.Latitude, location.Point?.Longitude);
            repository.Add([EpcisEventRow.FromEvent(receiving, epcis.Names.Prefixes, EpcisSources.Producer, distributor.Id)]);
        }

        // Never-shipped bottles are also not allocated to the receiver: the list keeps its meaning for existing clients.
        return TypedResults.Ok(new ReceiptResult(received, accepted, [.. notOurs, .. neverShipped], otherRegion, unknown, counterfeit)
        {
            NeverShipped = neverShipped,
            PlaceOutsideYourRegion = outsideOwnRegion,
        });
    }

    /// <summary>Records each bottle's receipt and raises one alert per owner (or per reason) for the line, with the case code and count.</summary>
    private static LineVerdict Judge(ReceiptLine line, string receiver, ScanLocation location, object place, ShipmentStore shipments, ScanRecorder recorder, AlertService alerts, DateTimeOffset now)
    {
        var byOwner = new Dictionary<string, List<TagKey>>(StringComparer.Ordinal);
        List<TagKey> unshipped = [], outside = [];
        foreach (var bottle in line.Bottles)
        {
            recorder.Record(new ScanRecord(bottle.Gtin, bottle.Serial, now, "receipt", location.Point?.Latitude, location.Point?.Longitude, "distributor", null, location.Country, location.AccuracyMeters));
            var shipment = shipments.FindForTag(bottle.Gtin, bottle.Serial);
            if (shipment is null)
            {
                unshipped.Add(bottle);
            }
            else if (shipment.DistributorId != receiver)
            {
                (byOwner.TryGetValue(shipment.DistributorId, out var list) ? list : byOwner[shipment.DistributorId] = []).Add(bottle);
            }
            else if (location.IsKnown && RegionDto.FromJson(shipment.RegionJson).TryBuild(out _)?.Contains(location) == false)
            {
                outside.Add(bottle);
            }
        }

        foreach (var (owner, list) in byOwner)
        {
            var (gtin, serial) = Single(list);
            alerts.Raise(AlertService.ReceiptMismatch, gtin, serial, owner,
                new { reason = ReceiptReasons.ReceivedByAnotherDistributor, owner, receiver, place, @case = line.CaseCode, count = list.Count, code = line.Code });
        }

        if (unshipped.Count > 0)
        {
            var (gtin, serial) = Single(unshipped);
            alerts.Raise(AlertService.ReceiptMismatch, gtin, serial, null,
                new { reason = ReceiptReasons.NeverShipped, receiver, place, @case = line.CaseCode, count = unshipped.Count, code = line.Code });
        }

        if (outside.Count > 0)
        {
            var (gtin, serial) = Single(outside);
            alerts.Raise(AlertService.Diverted, gtin, serial, receiver, new
            {
                grade = DiversionGrades.Strong,
                reason = VerdictReasons.OutsideSalesRegion,
                responsibleDealer = receiver,
                accountableDistributor = receiver,
                source = "receipt",
                place,
                lat = location.Point?.Latitude,
                lon = location.Point?.Longitude,
                country = location.Country,
                @case = line.CaseCode,
                count = outside.Count,
                evidence = new[] { new { kind = DiversionGrades.DealerScanOutsideRegion, dealer = receiver, regionOf = receiver, action = "receipt", place } },
            });
        }

        return byOwner.Count > 0 ? LineVerdict.NotOurs : unshipped.Count > 0 ? LineVerdict.NeverShipped : outside.Count > 0 ? LineVerdict.OtherRegion : LineVerdict.Accepted;
    }

    private static OpenApiParameter Query(string name, JsonSchemaType type, string description) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = new OpenApiSchema { Type = type } };

    private static (string? Gtin, string? Serial) Single(List<TagKey> bottles) => bottles.Count == 1 ? (bottles[0].Gtin, bottles[0].Serial) : (null, null);

    private static string Clip(string code) => code.Length <= 200 ? code : code[..200];

    private sealed record ReceiptLine(string Code, string? CaseCode, IReadOnlyList<TagKey> Bottles);

    private enum LineVerdict
    {
        Accepted,
        NotOurs,
        NeverShipped,
        OtherRegion,
    }
}

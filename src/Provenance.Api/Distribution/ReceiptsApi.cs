using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Geo;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Warehouse receipts: <c>POST /api/receipts?lat=..&amp;lon=..&amp;country=..</c> by a distributor, body
/// <c>text/plain</c> with one bottle or case URI per line (streamed, at most <see cref="ApiOptions.MaxReceiptCodes"/>).
/// Each bottle is recorded as a distributor scan at the declared location, which later verdicts take into account.
/// </summary>
public static class ReceiptsApi
{
    public static IEndpointRouteBuilder MapReceiptsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/receipts", ReceiveAsync).RequireAuthorization(ApiPolicies.Distributor).WithTags("Distribution").WithName("PostReceipt")
            .WithSummary("Report the codes scanned at the distributor's warehouse; lists codes not allocated to it, allocated to another region, unknown or counterfeit.")
            .Accepts<string>("text/plain");
        return app;
    }

    private static async Task<Results<Ok<ReceiptResult>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, CodeAuthenticator codes, TagStore tags, ShipmentStore shipments, DistributorStore distributors, ScanRecorder recorder,
        AlertService alerts, IOptions<ApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var distributor = distributors.Find(caller.DistributorId ?? string.Empty);
        if (distributor is null)
        {
            return TypedResults.Problem("this key is not bound to a distributor", statusCode: StatusCodes.Status403Forbidden);
        }

        var country = context.Request.Query["country"].ToString() is { Length: 2 } c ? c.ToUpperInvariant() : distributor.Country;
        var location = (ClientLocator.FromQuery(context.Request.Query) is { } browser ? browser with { Source = LocationSource.Distributor } : new ScanLocation(LocationSource.Distributor))
            with { Country = country };
        var now = time.GetUtcNow();
        List<string> notOurs = [], otherRegion = [], unknown = [], counterfeit = [];
        var received = 0;
        var accepted = 0;
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

            IReadOnlyList<TagKey> bottles;
            if (CodeRef.Case(text) is { } caseCode && shipments.CaseTags(caseCode) is { Count: > 0 } inCase)
            {
                bottles = inCase; // a registered case code covers its bottles
            }
            else if (!DigitalLink.TryParse(text, out var link, out _) || !codes.Verify(link!).IsAuthentic)
            {
                counterfeit.Add(text);
                continue;
            }
            else
            {
                bottles = link!.Gtin is { } g && link.Serial is { } s ? [new TagKey(g.Value, s)] : [];
            }

            var ok = true;
            foreach (var bottle in bottles)
            {
                if (tags.Find(bottle.Gtin, bottle.Serial) is null)
                {
                    ok = false;
                    unknown.Add(text);
                    break;
                }

                var shipment = shipments.FindForTag(bottle.Gtin, bottle.Serial);
                if (shipment is null || shipment.DistributorId != distributor.Id)
                {
                    ok = false;
                    notOurs.Add(text);
                    alerts.Raise(AlertService.ReceiptMismatch, bottle.Gtin, bottle.Serial, distributor.Id, new { reason = "not_allocated_to_receiver", receiver = distributor.Id });
                    break;
                }

                recorder.Record(new ScanRecord(bottle.Gtin, bottle.Serial, now, "receipt", location.Point?.Latitude, location.Point?.Longitude, "distributor", null, location.Country, location.AccuracyMeters));
                if (location.IsKnown && RegionDto.FromJson(shipment.RegionJson).TryBuild(out _)?.Contains(location) == false)
                {
                    ok = false;
                    otherRegion.Add(text);
                    alerts.Raise(AlertService.Diverted, bottle.Gtin, bottle.Serial, distributor.Id, new { reason = VerdictReasons.OutsideSalesRegion, source = "receipt", lat = location.Point?.Latitude, lon = location.Point?.Longitude, country = location.Country });
                    break;
                }
            }

            if (ok && bottles.Count > 0)
            {
                accepted++;
            }
            else if (ok)
            {
                unknown.Add(text);
            }
        }

        return TypedResults.Ok(new ReceiptResult(received, accepted, notOurs, otherRegion, unknown, counterfeit));
    }
}

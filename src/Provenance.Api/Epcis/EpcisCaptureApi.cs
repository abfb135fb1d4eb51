using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Distribution;
using Provenance.Api.Http;
using Provenance.Api.Security;
using Provenance.Core.Epcis;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Epcis;

/// <summary>
/// The EPCIS 2.0 capture interface: <c>POST /epcis/capture</c> takes an EPCISDocument (or EPCISQueryDocument) from a
/// partner's own system. The document is checked against GS1's schema, mapped event by event onto cases, shipments
/// and receipts (see <see cref="EpcisCapturePlanner"/>) and applied all or nothing; the answer is the finished capture
/// job (<c>GET /epcis/capture/{captureID}</c>).
/// </summary>
public static partial class EpcisCaptureApi
{
    public static IEndpointRouteBuilder MapEpcisCaptureApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/epcis").WithTags("EPCIS");
        api.MapPost("/capture", CaptureAsync).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("EpcisCapture")
            .WithSummary("Capture an EPCIS 2.0 document: packing and shipping (producer), receiving (the receiving dealer), shipping to a child dealer (a dealer); all or nothing.")
            .Accepts<JsonObject>("application/json", "application/ld+json")
            .Produces<CaptureJob>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/capture/{captureId}", Job).RequireAuthorization(ApiPolicies.ProducerOrDealer).WithName("EpcisCaptureJob")
            .Produces<CaptureJob>().Produces(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CaptureAsync(
        HttpContext context, TagStore tags, ShipmentStore shipments, DistributorStore distributors, EpcisEventStore repository, EpcisCaptureWriter writer,
        AlertService alerts, RefillCheck refills, CustodyStore custody, CustodyScorer scorer, DealerTree tree, LifecycleEvents epcis, IOptions<EpcisOptions> options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        JsonDocument parsed;
        try
        {
            parsed = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Problem(400, $"the body is not JSON: {e.Message}");
        }

        using (parsed)
        {
            if (JsonStringCheck.FindInvalid(parsed.RootElement) is { } invalidAt)
            {
                return Problem(400, $"the body is not valid JSON text: the string at {invalidAt} holds an unpaired surrogate escape");
            }

            var errors = EpcisSchema.Validate(parsed.RootElement);
            if (errors.Count > 0)
            {
                return Problem(400, $"the document does not validate against the EPCIS 2.0 schema: {errors[0]}", errors);
            }

            var document = JsonNode.Parse(parsed.RootElement.GetRawText())!.AsObject();
            var events = (document["type"]?.GetValue<string>()) switch
            {
                "EPCISDocument" => document["epcisBody"]?["eventList"] as JsonArray,
                "EPCISQueryDocument" => document["epcisBody"]?["queryResults"]?["resultsBody"]?["eventList"] as JsonArray,
                _ => null,
            };
            if (events is null)
            {
                return Problem(400, "capture takes an EPCISDocument or an EPCISQueryDocument with an eventList");
            }

            if (events.Count > options.Value.MaxCaptureEvents)
            {
                return Problem(413, $"at most {options.Value.MaxCaptureEvents} events per capture; split the document");
            }

            var planner = new EpcisCapturePlanner(caller, tags, shipments, distributors, repository, epcis);
            var (plan, refusal) = planner.Plan(events, EpcisDocuments.Prefixes(document["@context"]));
            if (refusal is not null)
            {
                LogRefused(loggers.CreateLogger(typeof(EpcisCaptureApi)), caller.KeyId, refusal.Reason);
                return Problem(refusal.StatusCode, refusal.Reason);
            }

            var captureId = "capture-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            int added;
            try
            {
                added = writer.Apply(captureId, caller.KeyId, plan!.Changes);
            }
            catch (EpcisConflictException e)
            {
                return Problem(409, e.Message);
            }

            foreach (var alert in plan.Alerts)
            {
                alerts.Raise(alert.Kind, alert.Bottle.Gtin, alert.Bottle.Serial, alert.DistributorId, alert.Detail);
            }

            var now = time.GetUtcNow();
            ReceivedInTrade(plan.Changes.Receipts, caller, refills, custody, now);
            ScoreCustody(plan.CustodyScans, caller, scorer, tree, refills, now);

            LogCaptured(loggers.CreateLogger(typeof(EpcisCaptureApi)), captureId, caller.KeyId, added, plan.AlreadyCaptured);
            var job = new CaptureJob(captureId, now, now, false, true, "rollback", [], plan.EventIds, added, plan.AlreadyCaptured);
            context.Response.Headers.Location = $"/epcis/capture/{captureId}";
            return TypedResults.Json(job, statusCode: StatusCodes.Status202Accepted);
        }
    }

    /// <summary>
    /// Captured receiving events are a distributor receiving stock, exactly as a warehouse receipt: each bottle joins its
    /// custody chain, and a bottle already opened is a suspected refill (<see cref="RefillCheck"/>).
    /// </summary>
    private static void ReceivedInTrade(IReadOnlyList<ScanRecord> receipts, ApiCaller caller, RefillCheck refills, CustodyStore custody, DateTimeOffset now)
    {
        if (receipts.Count == 0 || caller.DistributorId is not { } receiver)
        {
            return;
        }

        custody.Add([.. receipts.Select(r => new CustodyEvent(0, r.Gtin, r.Serial, CustodyEvent.In, receiver, null, null, "epcis", r.Latitude, r.Longitude, r.Country, null, r.ScannedAt))]);
        foreach (var r in receipts)
        {
            // The event's own time decides: a receiving event from before the opening, captured late, is no refill.
            refills.Check([new TagKey(r.Gtin, r.Serial)], receiver, new { lat = r.Latitude, lon = r.Longitude, country = r.Country, source = "epcis" }, r.ScannedAt < now ? r.ScannedAt : now);
        }
    }

    /// <summary>Dealers' captured shipping and receiving events are custody scans, scored like the HTTP ones.</summary>
    private static void ScoreCustody(IReadOnlyList<CustodyCapture> scans, ApiCaller caller, CustodyScorer scorer, DealerTree tree, RefillCheck refills, DateTimeOffset now)
    {
        if (scans.Count == 0 || tree.Self(caller) is not { } me)
        {
            return;
        }

        foreach (var scan in scans)
        {
            var line = new CustodyLine(scan.EventId, null, scan.Bottles);
            if (scan.Action == CustodyEvent.In)
            {
                scorer.ScanIn(me, line, scan.Place, "epcis", now);
                refills.Check(scan.Bottles, me.Id, ReceiptPlace.Describe(scan.Place), now);
            }
            else if (tree.Find(scan.ChildId!) is { } child)
            {
                scorer.ScanOut(me, child, line, scan.Place, now, "epcis");
            }
        }
    }

    private static IResult Job(string captureId, HttpContext context, EpcisCaptureWriter writer)
    {
        var caller = context.Caller();
        var job = writer.Find(captureId);
        if (job is null || (caller.Role != ApiRoles.Admin && caller.Role != ApiRoles.Producer && job.Value.ApiKeyId != caller.KeyId))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new CaptureJob(captureId, job.Value.CreatedAt, job.Value.CreatedAt, false, true, "rollback", [], null, job.Value.EventCount, null));
    }

    private static IResult Problem(int status, string detail, IReadOnlyList<string>? errors = null) =>
        TypedResults.Problem(
            detail, statusCode: status, title: status == 400 ? "ValidationException" : null, type: status == 400 ? "epcisException:ValidationException" : null,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "EPCIS capture {CaptureId} by key {KeyId}: {Added} new event(s), {Already} already captured")]
    private static partial void LogCaptured(ILogger logger, string captureId, string keyId, int added, int already);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "EPCIS capture by key {KeyId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string keyId, string reason);
}

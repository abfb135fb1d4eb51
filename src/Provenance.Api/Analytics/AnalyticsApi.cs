using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Provenance.Api.Pages;
using Provenance.Api.Security;
using Provenance.Core.Codes;
using Provenance.Storage;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Analytics;

/// <summary>
/// The producer's analytics: <c>GET /api/analytics/scans.geojson</c> (consumer scans per day and region, aggregated
/// so that no individual can be traced), <c>GET /api/analytics/dealers</c> (distributors by alerts, with diversion
/// grades) and <c>GET /api/analytics/campaigns</c> (reward campaigns' budget, review queue and redemptions per day).
/// </summary>
public static class AnalyticsApi
{
    public const string GeoJsonType = "application/geo+json";

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").WithTags("Analytics");
        api.MapGet("/scans.geojson", ScanHeatMapAsync).RequireAuthorization(ApiPolicies.Producer).WithName("ScanHeatMap")
            .WithSummary("Consumer scans per local day and grid cell as GeoJSON; groups under Analytics:MinimumGroupSize scans are left out and counted in suppressedScans.")
            .WithDescription("from, to: local dates yyyy-MM-dd, inclusive (default: the last 30 days); tz: an IANA time zone for the days (default Pages:TimeZone); gtin: one product.")
            .Produces(StatusCodes.Status200OK, contentType: GeoJsonType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/dealers", Dealers).RequireAuthorization(ApiPolicies.Producer).WithName("DealersByAlerts")
            .WithSummary("Distributors ranked by the alerts raised against their stock (diversion, receipts, refills) over the last days (default 30).")
            .Produces<DealerAlertReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/campaigns", Campaigns).RequireAuthorization(ApiPolicies.Producer).WithName("CampaignAnalytics")
            .WithSummary("Every reward campaign's budget use, redemptions held for review, and redemptions per local day over the last days (default 30; tz as for the heat map).")
            .Produces<CampaignReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static IResult ScanHeatMapAsync(
        string? from, string? to, string? tz, string? gtin, ScanAnalyticsStore store, IOptions<AnalyticsOptions> options, IOptions<PageOptions> pages, TimeProvider time)
    {
        if (ReportZone(tz, pages.Value) is not { } zone)
        {
            return Problem($"tz: '{tz}' is not an IANA time zone this server knows, e.g. Asia/Shanghai or UTC");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        if (!TryDate(to, today, out var last) || !TryDate(from, last.AddDays(-29), out var first))
        {
            return Problem("from, to: dates as yyyy-MM-dd, e.g. 2026-11-30");
        }

        var days = last.DayNumber - first.DayNumber + 1;
        if (days < 1 || days > options.Value.MaxDays)
        {
            return Problem($"from, to: from must not be after to, and the period at most {options.Value.MaxDays} days (Analytics:MaxDays); it is {days}");
        }

        string? product = null;
        if (gtin is not null)
        {
            if (!Gtin.TryParse(gtin, out var parsed, out var error))
            {
                return Problem($"gtin: {error}");
            }

            product = parsed.Value;
        }

        var request = new ScanHeatMapRequest(first, last, zone, product);
        var (utcFrom, utcTo) = request.UtcRange();
        var counts = store.CountCells(utcFrom, utcTo, options.Value.CellDegrees, product);
        return Results.Bytes(ScanHeatMap.Render(counts, request, options.Value), GeoJsonType);
    }

    private static IResult Dealers(int? days, AlertStore alerts, DistributorStore distributors, TimeProvider time)
    {
        var period = days ?? 30;
        if (period is < 1 or > 366)
        {
            return Problem("days: 1 to 366");
        }

        var since = time.GetUtcNow().AddDays(-period);
        var dealers = alerts.CountByDistributor(since)
            .GroupBy(r => r.DistributorId, StringComparer.Ordinal)
            .Select(g => new DealerAlertSummary(
                g.Key,
                distributors.Find(g.Key)?.Name ?? g.Key,
                g.Sum(r => r.Count),
                g.ToDictionary(r => r.Kind, r => r.Count, StringComparer.Ordinal),
                alerts.CountDiversionByGrade(g.Key, since)))
            .OrderByDescending(d => d.Total).ThenBy(d => d.DistributorId, StringComparer.Ordinal)
            .ToList();
        return Results.Ok(new DealerAlertReport(since, dealers));
    }

    private static IResult Campaigns(int? days, string? tz, CampaignStore campaigns, RedemptionStore redemptions, IOptions<PageOptions> pages, TimeProvider time)
    {
        if (ReportZone(tz, pages.Value) is not { } zone)
        {
            return Problem($"tz: '{tz}' is not an IANA time zone this server knows, e.g. Asia/Shanghai or UTC");
        }

        var period = days ?? 30;
        if (period is < 1 or > 366)
        {
            return Problem("days: 1 to 366");
        }

        return Results.Ok(CampaignAnalytics.Report(campaigns, redemptions, zone, time.GetUtcNow().AddDays(-period)));
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        date = fallback;
        return text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static IResult Problem(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>The zone a report's local days are in: the caller's <c>tz</c>, else the pages' zone; null when <c>tz</c> names none.</summary>
    private static TimeZoneInfo? ReportZone(string? tz, PageOptions pages) =>
        tz is null ? PageTime.FindZone(pages.TimeZone) ?? PageTime.DefaultZone : PageTime.FindZone(tz);
}

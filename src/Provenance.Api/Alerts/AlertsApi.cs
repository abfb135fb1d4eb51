using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Api.Alerts;

/// <summary>
/// The alert feed: <c>GET /api/alerts?kind=&amp;gtin=&amp;distributorId=&amp;since=&amp;cursor=&amp;limit=</c>, JSON pages with a
/// <c>next</c> cursor, or CSV (<c>Accept: text/csv</c> or <c>format=csv</c>). Distributors see only alerts about themselves.
/// </summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", List).RequireAuthorization(ApiPolicies.ProducerOrDistributor).WithTags("Alerts").WithName("ListAlerts")
            .WithSummary("Diversion, clone, unknown-code, receipt and origin (origin_not_attested) alerts, paginated by cursor; CSV with Accept: text/csv or format=csv.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    private static Results<Ok<AlertPage>, ContentHttpResult, ProblemHttpResult> List(
        HttpContext context, AlertStore store, string? kind, string? gtin, string? distributorId, DateTimeOffset? since, string? cursor, int? limit, string? format)
    {
        var after = 0L;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return TypedResults.Problem("cursor is the 'next' value of the previous page", statusCode: StatusCodes.Status400BadRequest);
        }

        var caller = context.Caller();
        var csv = format == "csv" || context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
        var n = Math.Clamp(limit ?? (csv ? 10_000 : 100), 1, csv ? 100_000 : 1_000);
        // A distributor always sees only its own; asking for another one's finds nothing, as if it had none.
        var distributor = caller.Role == ApiRoles.Distributor ? caller.DistributorId : distributorId;
        var none = caller.Role == ApiRoles.Distributor && (caller.DistributorId is null || (distributorId is not null && distributorId != caller.DistributorId));
        var page = none ? [] : store.List(new AlertQuery(after, kind, gtin, since, distributor, n)).Select(AlertDto.From).ToList();
        var next = page.Count == n ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        if (!csv)
        {
            return TypedResults.Ok(new AlertPage(page, next));
        }

        var sb = new StringBuilder("id,kind,gtin,serial,distributorId,createdAt,detail\n");
        foreach (var a in page)
        {
            sb.Append(a.Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(a.Kind)).Append(',').Append(Csv(a.Gtin)).Append(',').Append(Csv(a.Serial)).Append(',')
              .Append(Csv(a.DistributorId)).Append(',').Append(a.CreatedAt.ToString("O", CultureInfo.InvariantCulture)).Append(',').Append(Csv(a.Detail.GetRawText())).Append('\n');
        }

        if (next is not null)
        {
            context.Response.Headers["X-Next-Cursor"] = next;
        }

        return TypedResults.Content(sb.ToString(), "text/csv; charset=utf-8");
    }

    private static string Csv(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

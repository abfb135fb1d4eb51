using System.Globalization;
using Microsoft.AspNetCore.Http;
using Provenance.Core.Epcis;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Epcis;

/// <summary>
/// Reads the EPCIS 2.0 REST query parameters this repository answers (pipe-delimited lists, as the REST binding
/// says) into an <see cref="EpcisQuery"/>. A query parameter of the EPCIS query language that is not answered here
/// is refused rather than ignored, so a partner never mistakes a broader answer for a filtered one.
/// </summary>
internal static class EpcisQueryParameters
{
    public static readonly string[] Supported =
    [
        "eventType", "EQ_bizStep", "EQ_action", "EQ_disposition", "EQ_bizLocation", "EQ_eventID", "MATCH_anyEPC", "MATCH_parentID",
        "GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime", "perPage", "nextPageToken",
    ];

    private static readonly string[] QueryLanguagePrefixes = ["EQ_", "GE_", "GT_", "LE_", "LT_", "MATCH_", "WD_", "EXISTS_", "HASATTR_", "EQATTR_", "orderBy", "orderDirection", "eventCountLimit", "maxEventCount"];

    /// <summary>The query (without paging) and the filters that identify it for page tokens; or an error.</summary>
    public static (EpcisQuery? Query, List<KeyValuePair<string, string>> Filters, string? Error) Parse(IQueryCollection query)
    {
        var filters = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in query)
        {
            if (key is "perPage" or "nextPageToken")
            {
                continue;
            }

            if (!Supported.Contains(key, StringComparer.Ordinal))
            {
                if (QueryLanguagePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
                {
                    return (null, filters, $"query parameter {key} is not supported here; supported: {string.Join(", ", Supported)}");
                }

                continue; // not part of the query language (e.g. a cache buster)
            }

            filters.Add(new(key, value.ToString()));
        }

        var result = new EpcisQuery();
        foreach (var (key, raw) in filters)
        {
            var values = raw.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (values.Length == 0)
            {
                return (null, filters, $"{key} needs a value");
            }

            switch (key)
            {
                case "eventType":
                    result = result with { EventTypes = values };
                    break;
                case "EQ_bizStep":
                    result = result with { BizSteps = [.. values.Select(Cbv.BizStepUri)] };
                    break;
                case "EQ_action":
                    if (values.Any(v => v is not ("ADD" or "OBSERVE" or "DELETE")))
                    {
                        return (null, filters, "EQ_action takes ADD, OBSERVE or DELETE");
                    }

                    result = result with { Actions = values };
                    break;
                case "EQ_disposition":
                    result = result with { Dispositions = values };
                    break;
                case "EQ_bizLocation":
                    result = result with { BizLocations = values };
                    break;
                case "EQ_eventID":
                    result = result with { EventIds = values };
                    break;
                case "MATCH_anyEPC":
                    var epcs = values.Select(EpcisEventRow.Canonical).Distinct(StringComparer.Ordinal).ToList();
                    result = result with { AnyEpcs = epcs, AnyBottles = EpcisEventStore.Bottles(epcs) };
                    break;
                case "MATCH_parentID":
                    result = result with { ParentIds = [.. values.Select(EpcisEventRow.Canonical)] };
                    break;
                default:
                    if (!DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) || values.Length > 1)
                    {
                        return (null, filters, $"{key} takes one date-time such as 2026-11-30T08:00:00Z");
                    }

                    result = key switch
                    {
                        "GE_eventTime" => result with { EventTimeFrom = time },
                        "LT_eventTime" => result with { EventTimeBefore = time },
                        "GE_recordTime" => result with { RecordTimeFrom = time },
                        _ => result with { RecordTimeBefore = time },
                    };
                    break;
            }
        }

        if (result.AnyEpcs.Count + result.EventIds.Count > 1000)
        {
            return (null, filters, "at most 1000 EPCs and event ids per query");
        }

        return (result, filters, null);
    }
}

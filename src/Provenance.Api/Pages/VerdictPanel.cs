using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// The verdict area of the consumer page, drawn from the scan JSON: colour, icon, title, one sentence in plain words,
/// then what was checked (one sentence per reason code, <c>reason.{code}</c>) and the optional facts (location
/// used, recall, shipment). No reason code, engine name or "none" reaches the page: a code without a text is left
/// out (a test keeps every code the engine gives translated). <c>scan.js</c> re-asks the server for this same panel
/// after a location re-check instead of drawing it itself.
/// </summary>
internal static class VerdictPanel
{
    public static void Render(StringBuilder sb, JsonElement scan, PageText text, TimeZoneInfo zone)
    {
        var h = HtmlEncoder.Default;
        var verdict = scan.String("verdict") ?? "unknown";
        var known = VerdictStyle.Colours.ContainsKey(verdict);
        var title = known ? text[$"verdict.{verdict}.title"] : text.Format("verdict.other.title", ("verdict", verdict));
        sb.Append("<div class=\"verdict\" id=\"verdict\" role=\"status\" data-verdict=\"").Append(h.Encode(verdict))
          .Append("\" data-origin=\"").Append(h.Encode(scan.String("originConfidence") ?? "none"))
          .Append("\" style=\"background:").Append(VerdictStyle.Colour(verdict)).Append("\">")
          .Append("<div class=\"icon\" aria-hidden=\"true\">").Append(h.Encode(VerdictStyle.Icon(verdict))).Append("</div>")
          .Append("<h1 id=\"verdict-title\">").Append(h.Encode(title)).Append("</h1>")
          .Append("<p id=\"verdict-sentence\">");
        if (known)
        {
            VerdictSentence.Append(sb, scan, verdict, text, zone);
        }
        else
        {
            sb.Append(h.Encode(scan.String("message") ?? string.Empty));
        }

        sb.Append("</p>");
        var checks = scan.Array("reasons").Select(r => Reason(r, text)).OfType<string>().Distinct().ToList();
        if (checks.Count > 0)
        {
            sb.Append("<div class=\"details\"><p class=\"label\">").Append(h.Encode(text["verdict.detail.reasons"])).Append("</p><ul id=\"verdict-checks\">");
            foreach (var check in checks)
            {
                sb.Append("<li>").Append(h.Encode(check)).Append("</li>");
            }

            sb.Append("</ul></div>");
        }

        var details = Details(scan, text, zone);
        if (details.Count > 0)
        {
            sb.Append("<dl class=\"details\">");
            foreach (var (label, value) in details)
            {
                sb.Append("<dt>").Append(h.Encode(label)).Append("</dt><dd>").Append(value).Append("</dd>");
            }

            sb.Append("</dl>");
        }

        sb.Append("</div>");
    }

    /// <summary>The sentence for a reason: a code's translated sentence, or a partner's own message; null when there is nothing a person can read.</summary>
    internal static string? Reason(JsonElement reason, PageText text) => reason.ValueKind switch
    {
        JsonValueKind.String when reason.GetString() is { Length: > 0 } code => text.Has($"reason.{code}") ? text[$"reason.{code}"] : null,
        JsonValueKind.Object => reason.String("message") ?? reason.String("text") ?? reason.String("detail")
            ?? (reason.String("code") is { } code && text.Has($"reason.{code}") ? text[$"reason.{code}"] : null),
        _ => null,
    };

    /// <summary>Label and HTML value of each optional fact.</summary>
    private static List<(string Label, string Html)> Details(JsonElement scan, PageText text, TimeZoneInfo zone)
    {
        var h = HtmlEncoder.Default;
        var details = new List<(string, string)>();
        if (scan.String("locationSource") is { Length: > 0 } source && source != "none" && text.Has($"location.{source}"))
        {
            var where = text[$"location.{source}"];
            details.Add((text["verdict.detail.location"], h.Encode(Confidence(scan, text) is { } how ? $"{where} · {how}" : where)));
        }
        else if (scan.Property("confidence") is { ValueKind: JsonValueKind.Number } && Confidence(scan, text) is { } how)
        {
            details.Add((text["verdict.detail.confidence"], h.Encode(how)));
        }

        if (scan.Object("cap")?.String("tamper") is { Length: > 0 } tamper && text.Has($"cap.{tamper}"))
        {
            details.Add((text["verdict.detail.cap"], h.Encode(text[$"cap.{tamper}"])));
        }

        if (Recall(scan, text, zone) is { } recall)
        {
            details.Add((text["verdict.detail.recall"], recall));
        }

        if (Shipment(scan, text) is { } shipment)
        {
            details.Add((text["verdict.detail.shipment"], h.Encode(shipment)));
        }

        return details;
    }

    private static string? Confidence(JsonElement scan, PageText text) => scan.Property("confidence") switch
    {
        { ValueKind: JsonValueKind.Number } n when n.GetDouble() is >= 0 and <= 1 => (n.GetDouble() * 100).ToString("0", CultureInfo.InvariantCulture) + " %",
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } v && text.Has($"confidence.{v}") => text[$"confidence.{v}"],
        _ => null,
    };

    private static string? Recall(JsonElement scan, PageText text, TimeZoneInfo zone)
    {
        var h = HtmlEncoder.Default;
        if (scan.Property("recall") is { ValueKind: JsonValueKind.String } plain && plain.GetString() is { Length: > 0 } notice)
        {
            return h.Encode(notice);
        }

        if (scan.Object("recall") is not { } recall)
        {
            return null;
        }

        var reason = recall.String("reason") ?? recall.String("message") ?? recall.String("notice");
        var at = recall.Time("at") ?? recall.Time("recalledAt") ?? recall.Time("issuedAt");
        var sb = new StringBuilder();
        if (reason is not null)
        {
            sb.Append(h.Encode(reason));
        }

        if (at is { } t)
        {
            sb.Append(reason is null ? string.Empty : " (");
            PageTime.Append(sb, t, text, zone);
            sb.Append(reason is null ? string.Empty : ")");
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    private static string? Shipment(JsonElement scan, PageText text)
    {
        if (scan.Object("shipment") is not { } shipment)
        {
            return null;
        }

        var distributor = shipment.String("distributorName") ?? shipment.Object("distributor")?.String("name") ?? shipment.String("distributor");
        // Polygons have no name a person knows ("polygon-1"): only ISO regions are worth showing.
        var region = shipment.String("regionName") ?? shipment.String("region") ?? string.Join(", ", shipment.Array("region")
            .Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).OfType<string>().Where(r => !r.StartsWith("polygon-", StringComparison.Ordinal)));
        region = string.IsNullOrEmpty(region) ? shipment.String("market") : region;
        return (distributor, region) switch
        {
            (null, null) => null,
            ({ } d, null) => d,
            (null, { } r) => r,
            ({ } d, { } r) => text.Format("shipment.format", ("distributor", d), ("region", r)),
        };
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// The verdict area of the consumer page, drawn from the scan JSON: colour, icon, title, one sentence, then the
/// optional facts (reasons, confidence, location used, recall, shipment). <c>scan.js</c> draws the same area from
/// the same JSON after a location re-check; keep the two in step.
/// </summary>
internal static class VerdictPanel
{
    public static void Render(StringBuilder sb, JsonElement scan, PageText text)
    {
        var h = HtmlEncoder.Default;
        var verdict = scan.String("verdict") ?? "unknown";
        var known = VerdictStyle.Colours.ContainsKey(verdict);
        var title = known ? text[$"verdict.{verdict}.title"] : text.Format("verdict.other.title", ("verdict", verdict));
        sb.Append("<div class=\"verdict\" id=\"verdict\" role=\"status\" data-verdict=\"").Append(h.Encode(verdict))
          .Append("\" style=\"background:").Append(VerdictStyle.Colour(verdict)).Append("\">")
          .Append("<div class=\"icon\" aria-hidden=\"true\">").Append(h.Encode(VerdictStyle.Icon(verdict))).Append("</div>")
          .Append("<h1 id=\"verdict-title\">").Append(h.Encode(title)).Append("</h1>")
          .Append("<p id=\"verdict-sentence\">").Append(h.Encode(Sentence(scan, verdict, known, text))).Append("</p>");
        var details = Details(scan, text);
        if (details.Count > 0)
        {
            sb.Append("<dl class=\"details\">");
            foreach (var (label, values) in details)
            {
                sb.Append("<dt>").Append(h.Encode(label)).Append("</dt>");
                foreach (var value in values)
                {
                    sb.Append("<dd>").Append(h.Encode(value)).Append("</dd>");
                }
            }

            sb.Append("</dl>");
        }

        sb.Append("</div>");
    }

    public static string Sentence(JsonElement scan, string verdict, bool known, PageText text)
    {
        if (!known)
        {
            return scan.String("message") ?? string.Empty;
        }

        if (CapSentence(scan, verdict) is { } capKey)
        {
            return text[capKey];
        }

        if (verdict == "opened" && scan.Time("openedAt") is { } openedAt)
        {
            return text.Format("verdict.opened.sentenceAt", ("openedAt", JsonRead.Display(openedAt)));
        }

        if (verdict == "suspect_clone" && scan.Object("history") is { } history && history.Number("count") is { } count && history.Time("firstAt") is { } firstAt)
        {
            var place = history.Place("firstPlace");
            return text.Format(place is null ? "verdict.suspect_clone.sentenceCount" : "verdict.suspect_clone.sentencePlace",
                ("count", count.ToString("0", CultureInfo.InvariantCulture)), ("firstAt", JsonRead.Display(firstAt)), ("firstPlace", place));
        }

        return text[$"verdict.{verdict}.sentence"];
    }

    private static List<(string Label, List<string> Values)> Details(JsonElement scan, PageText text)
    {
        var details = new List<(string, List<string>)>();
        var reasons = scan.Array("reasons").Select(r => Reason(r, text)).OfType<string>().ToList();
        if (reasons.Count > 0)
        {
            details.Add((text["verdict.detail.reasons"], reasons));
        }

        if (scan.Object("cap")?.String("tamper") is { Length: > 0 } tamper)
        {
            details.Add((text["verdict.detail.cap"], [text.Has($"cap.{tamper}") ? text[$"cap.{tamper}"] : tamper]));
        }

        if (Confidence(scan, text) is { } confidence)
        {
            details.Add((text["verdict.detail.confidence"], [confidence]));
        }

        if (scan.String("locationSource") is { Length: > 0 } source)
        {
            details.Add((text["verdict.detail.location"], [text.Has($"location.{source}") ? text[$"location.{source}"] : source]));
        }

        if (Recall(scan) is { } recall)
        {
            details.Add((text["verdict.detail.recall"], [recall]));
        }

        if (Shipment(scan, text) is { } shipment)
        {
            details.Add((text["verdict.detail.shipment"], [shipment]));
        }

        return details;
    }

    /// <summary>The sentence for what an NFC cap's tap found, when it decided the verdict.</summary>
    private static string? CapSentence(JsonElement scan, string verdict)
    {
        var reasons = scan.Array("reasons").Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).ToHashSet(StringComparer.Ordinal);
        return verdict switch
        {
            "suspect_clone" when reasons.Contains("cap_message_replayed") => "verdict.suspect_clone.capReplayed",
            "suspect_clone" when reasons.Contains("cap_counter_rollback") => "verdict.suspect_clone.capRollback",
            "not_sealed" when reasons.Contains("cap_not_bound") => "verdict.not_sealed.capNotBound",
            "authentic" when reasons.Contains("cap_sealed") => "verdict.authentic.capSealed",
            _ => null,
        };
    }

    private static string? Reason(JsonElement reason, PageText text) => reason.ValueKind switch
    {
        JsonValueKind.String when reason.GetString() is { Length: > 0 } code => text.Has($"failure.{code}") ? text[$"failure.{code}"] : code,
        JsonValueKind.Object => reason.String("message") ?? reason.String("text") ?? reason.String("detail")
            ?? (reason.String("code") is { } code ? (text.Has($"failure.{code}") ? text[$"failure.{code}"] : code) : null),
        _ => null,
    };

    private static string? Confidence(JsonElement scan, PageText text) => scan.Property("confidence") switch
    {
        { ValueKind: JsonValueKind.Number } n when n.GetDouble() is >= 0 and <= 1 => (n.GetDouble() * 100).ToString("0", CultureInfo.InvariantCulture) + " %",
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } v => text.Has($"confidence.{v}") ? text[$"confidence.{v}"] : v,
        _ => null,
    };

    private static string? Recall(JsonElement scan)
    {
        if (scan.String("recall") is { Length: > 0 } plain && scan.Property("recall")?.ValueKind == JsonValueKind.String)
        {
            return plain;
        }

        if (scan.Object("recall") is not { } recall)
        {
            return null;
        }

        var reason = recall.String("reason") ?? recall.String("message") ?? recall.String("notice");
        var at = recall.Time("at") ?? recall.Time("recalledAt") ?? recall.Time("issuedAt");
        return (reason, at) switch
        {
            (null, null) => null,
            (null, { } t) => JsonRead.Display(t),
            ({ } r, null) => r,
            ({ } r, { } t) => $"{r} ({JsonRead.Display(t)})",
        };
    }

    private static string? Shipment(JsonElement scan, PageText text)
    {
        if (scan.Object("shipment") is not { } shipment)
        {
            return null;
        }

        var distributor = shipment.String("distributorName") ?? shipment.Object("distributor")?.String("name") ?? shipment.String("distributor");
        var region = shipment.String("regionName") ?? shipment.String("region") ?? shipment.String("market");
        return (distributor, region) switch
        {
            (null, null) => null,
            ({ } d, null) => d,
            (null, { } r) => r,
            ({ } d, { } r) => text.Format("shipment.format", ("distributor", d), ("region", r)),
        };
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Provenance.Api.Pages.Text;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Pages;

/// <summary>
/// The one sentence under the verdict's title, from the scan JSON: for a sealed bottle where and when it was sealed
/// and what its satellite fix confirmed, worded calmly when the cause of an unconfirmed origin is benign.
/// </summary>
internal static class VerdictSentence
{
    public static void Append(StringBuilder sb, JsonElement scan, string verdict, PageText text, TimeZoneInfo zone)
    {
        var origin = scan.Object("origin");
        var attestation = origin?.Object("attestation");
        var site = origin?.String("siteName") ?? origin?.String("siteId");
        var line = PageHtml.Line(origin?.String("line"), text);
        object? sealedAt = origin?.Time("sealedAt") is { } s ? s : null;
        if (CapSentence(scan, verdict) is { } capKey)
        {
            PageHtml.Text(sb, text, zone, capKey);
            return;
        }

        switch (verdict)
        {
            case "authentic" when attestation is { } a && a.Boolean("attested") == true:
                PageHtml.Text(sb, text, zone, "verdict.authentic.attested", ("site", site), ("line", line), ("sealedAt", sealedAt), ("sats", Whole(a.Number("sats"))), ("bds", Whole(a.Number("bdsSats"))));
                return;
            case "authentic" when attestation is { } a:
                var doubtful = scan.String("originConfidence") == "low"
                    || a.Array("failures").Any(f => f.ValueKind == JsonValueKind.String && !OriginFailureKinds.IsBenign(f.GetString()!));
                PageHtml.Text(sb, text, zone, doubtful ? "verdict.authentic.unconfirmedDoubt" : "verdict.authentic.unconfirmed", ("site", site), ("line", line), ("sealedAt", sealedAt));
                return;
            case "suspect_origin" when attestation?.Number("distanceM") is { } metres:
                PageHtml.Text(sb, text, zone, "verdict.suspect_origin.sentenceFar", ("site", site), ("sealedAt", sealedAt), ("distance", (metres / 1000).ToString("0.#", CultureInfo.InvariantCulture)));
                return;
            case "opened" when scan.Object("innerCode") is { } inner && inner.Time("openedAt") is { } innerAt:
                var openedPlace = inner.Place("openedPlace");
                PageHtml.Text(sb, text, zone, inner.Boolean("firstScan") == true ? "verdict.opened.innerFirst" : openedPlace is null ? "verdict.opened.innerAgain" : "verdict.opened.innerAgainPlace",
                    ("openedAt", innerAt), ("openedPlace", openedPlace));
                return;
            case "suspect_refill" when scan.Time("openedAt") is { } refillOpenedAt:
                PageHtml.Text(sb, text, zone, "verdict.suspect_refill.sentenceAt", ("openedAt", refillOpenedAt));
                return;
            case "opened" when scan.Time("openedAt") is { } openedAt:
                PageHtml.Text(sb, text, zone, "verdict.opened.sentenceAt", ("openedAt", openedAt));
                return;
            case "suspect_clone" when scan.Array("reasons").FirstOrDefault().ValueKind == JsonValueKind.String
                && scan.Array("reasons").First().GetString() == VerdictReasons.ScannedAfterOpened && scan.Time("openedAt") is { } opened:
                PageHtml.Text(sb, text, zone, "verdict.suspect_clone.sentenceOpened", ("openedAt", opened));
                return;
            case "suspect_clone" when scan.Object("history") is { } history && history.Number("count") is { } count && history.Time("firstAt") is { } firstAt:
                var place = history.Place("firstPlace");
                PageHtml.Text(sb, text, zone, place is null ? "verdict.suspect_clone.sentenceCount" : "verdict.suspect_clone.sentencePlace",
                    ("count", Whole(count)), ("firstAt", firstAt), ("firstPlace", place));
                return;
            default:
                PageHtml.Text(sb, text, zone, $"verdict.{verdict}.sentence");
                return;
        }
    }

    /// <summary>The sentence for what an NFC cap's tap found, when it decided the verdict.</summary>
    private static string? CapSentence(JsonElement scan, string verdict)
    {
        var reasons = scan.Array("reasons").Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).ToHashSet(StringComparer.Ordinal);
        return verdict switch
        {
            "suspect_clone" when reasons.Contains(VerdictReasons.CapMessageReplayed) => "verdict.suspect_clone.capReplayed",
            "suspect_clone" when reasons.Contains(VerdictReasons.CapCounterRollback) => "verdict.suspect_clone.capRollback",
            "not_sealed" when reasons.Contains(VerdictReasons.CapNotBound) => "verdict.not_sealed.capNotBound",
            "authentic" when reasons.Contains(VerdictReasons.CapSealed) => "verdict.authentic.capSealed",
            _ => null,
        };
    }

    private static string Whole(double? value) => value?.ToString("0", CultureInfo.InvariantCulture) ?? "—";
}

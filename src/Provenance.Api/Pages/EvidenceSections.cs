using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Provenance.Api.Pages.Text;
using Provenance.Core.Geo;
using Provenance.Core.Registry;

namespace Provenance.Api.Pages;

/// <summary>
/// The consumer page's evidence in plain words: where and when the bottle was sealed and what the satellite check
/// found (with the map), and where the sealing is recorded. Ledger engines are not named; identifiers an auditor
/// needs sit in a closed "technical proof" box.
/// </summary>
internal static class EvidenceSections
{
    public static void Origin(StringBuilder sb, JsonElement scan, PageText text, Site? site, TimeZoneInfo zone)
    {
        if (scan.Object("origin") is not { } origin)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"origin\"><h2>").Append(h.Encode(text["origin.heading"])).Append("</h2><dl>");
        Fact(sb, text["origin.site"], text.Format("origin.siteLine", ("site", origin.String("siteName") ?? site?.Name ?? origin.String("siteId")), ("line", PageHtml.Line(origin.String("line"), text))));
        if (origin.Time("sealedAt") is { } sealedAt)
        {
            sb.Append("<dt>").Append(h.Encode(text["origin.sealedOn"])).Append("</dt><dd>");
            PageTime.Append(sb, sealedAt, text, zone);
            sb.Append("</dd>");
        }

        var attestation = origin.Object("attestation");
        if (attestation is { } a)
        {
            var failures = a.Array("failures").Select(f => f.ValueKind == JsonValueKind.String ? f.GetString() : null)
                .Where(f => f is not null && text.Has($"failure.{f}")).Select(f => text[$"failure.{f}"]);
            var value = a.Boolean("attested") == true
                ? text.Format("origin.attested", ("distance", Fixed(a.Number("distanceM"))), ("sats", Fixed(a.Number("sats"))), ("bds", Fixed(a.Number("bdsSats"))))
                : text.Format("origin.notAttested", ("failures", string.Join(text.Language.StartsWith("zh", StringComparison.Ordinal) ? "、" : ", ", failures)));
            sb.Append("<dt>").Append(h.Encode(text["origin.attestation"])).Append("</dt><dd id=\"origin-check\" data-attested=\"")
              .Append(a.Boolean("attested") == true ? "true" : "false").Append("\">").Append(h.Encode(value)).Append("</dd>");
        }

        sb.Append("</dl>");
        if (site is not null)
        {
            GeoPoint? fix = attestation is { } at && at.Number("lat") is { } lat && at.Number("lon") is { } lon ? new GeoPoint(lat, lon) : null;
            OriginMap.Render(sb, site.Center, site.RadiusMeters, site.Polygon, fix, text);
        }

        sb.Append("</section>");
    }

    public static void Ledger(StringBuilder sb, JsonElement scan, PageText text)
    {
        if (scan.Object("ledger") is not { } ledger)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"ledger\"><h2>").Append(h.Encode(text["ledger.heading"])).Append("</h2><p id=\"ledger-summary\">");
        var block = ledger.Number("blockNumber");
        var index = ledger.Number("index");
        sb.Append(h.Encode(block is { } b ? text.Format("ledger.recordedShared", ("block", Fixed(b)))
            : index is { } i ? text.Format("ledger.recorded", ("index", Fixed(i)))
            : text["ledger.pending"]));
        sb.Append("</p><details><summary>").Append(h.Encode(text["ledger.auditors"])).Append("</summary><dl>");
        Code(sb, text["ledger.record"], ledger.String("eventId"));
        Code(sb, text["ledger.transaction"], ledger.String("txId"));
        Code(sb, text["ledger.hash"], ledger.String("hash"));
        sb.Append("</dl></details></section>");
    }

    public static void Fact(StringBuilder sb, string label, string value)
    {
        var h = HtmlEncoder.Default;
        sb.Append("<dt>").Append(h.Encode(label)).Append("</dt><dd>").Append(h.Encode(value)).Append("</dd>");
    }

    private static void Code(StringBuilder sb, string label, string? value)
    {
        if (value is null)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<dt>").Append(h.Encode(label)).Append("</dt><dd><code>").Append(h.Encode(value)).Append("</code></dd>");
    }

    private static string Fixed(double? value) => value?.ToString("0", CultureInfo.InvariantCulture) ?? "—";
}

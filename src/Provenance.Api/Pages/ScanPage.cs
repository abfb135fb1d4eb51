using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Pages.Text;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Storage;

namespace Provenance.Api.Pages;

/// <summary>
/// The consumer page at the Digital Link URL: the verdict at a glance, then product, origin (with a locally drawn
/// map), ledger proof and scan history; English or Simplified Chinese by <c>Accept-Language</c>. Everything
/// meaningful is server-rendered; <c>/assets/scan.js</c> only adds the optional location re-check. The page is
/// drawn from the scan's JSON, so fields the verdict engine adds (reasons, history, openedAt, recall, shipment…)
/// appear without changes here, and absent ones are simply left out.
/// </summary>
public static class ScanPage
{
    /// <summary>Renders the page for a request: negotiates the language and looks up the site's geofence and the code's scan history.</summary>
    public static string Render(ScanResult result, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        var text = PageLanguage.Negotiate(context.Request.Headers.AcceptLanguage.ToString());
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        context.Response.Headers.ContentLanguage = text.Language;
        var services = context.RequestServices;
        var site = result.Origin is { } origin ? services.GetService<RegistryStore>()?.FindSite(origin.SiteId) : null;
        var summary = result.Code is { } code && result.Product is not null ? services.GetService<ScanSummaryStore>()?.Summarise(code.Gtin, code.Serial) : null;
        return Render(JsonSerializer.SerializeToElement(result, ApiJsonContext.Default.ScanResult), text, site, summary);
    }

    /// <summary>Renders the page for a scan result without a request (English unless <paramref name="text"/> says otherwise).</summary>
    public static string Render(ScanResult result, PageText? text = null, Site? site = null, TagScanSummary? summary = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(JsonSerializer.SerializeToElement(result, ApiJsonContext.Default.ScanResult), text ?? PageText.English, site, summary);
    }

    /// <summary>Renders the page from the scan JSON (the wire shape of <see cref="ScanResult"/>, possibly with more fields).</summary>
    public static string Render(JsonElement scan, PageText text, Site? site = null, TagScanSummary? summary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = HtmlEncoder.Default;
        var verdict = scan.String("verdict") ?? "unknown";
        var sb = new StringBuilder(8192);
        var title = VerdictStyle.Colours.ContainsKey(verdict) ? text[$"verdict.{verdict}.title"] : text.Format("verdict.other.title", ("verdict", verdict));
        PageLayout.Open(sb, text.Language, $"{title} · {text["site.name"]}");
        sb.Append("<main>");
        VerdictPanel.Render(sb, scan, text);
        if (verdict != "counterfeit")
        {
            sb.Append("<section class=\"geo\" id=\"geo\" hidden><button id=\"geo-button\" type=\"button\">").Append(h.Encode(text["geo.button"])).Append("</button>")
              .Append("<p class=\"hint\" id=\"geo-hint\">").Append(h.Encode(text["geo.hint"])).Append("</p><p class=\"muted\" id=\"geo-status\" aria-live=\"polite\"></p></section>");
        }

        Product(sb, scan, text);
        Origin(sb, scan, text, site);
        Ledger(sb, scan, text);
        History(sb, scan, text, summary);
        sb.Append("<footer>").Append(h.Encode(text["verdict.detail.scannedAt"])).Append(": ")
          .Append(h.Encode(scan.Time("scannedAt") is { } at ? JsonRead.Display(at) : "—")).Append(" · ").Append(h.Encode(text["site.name"])).Append("</footer></main>");
        var styles = new StringBuilder("{\"text\":").Append(text.ToJson())
            .Append(",\"colours\":").Append(JsonSerializer.Serialize(VerdictStyle.Colours, Text.PageJsonContext.Default.IReadOnlyDictionaryStringString))
            .Append(",\"icons\":").Append(JsonSerializer.Serialize(VerdictStyle.Icons, Text.PageJsonContext.Default.IReadOnlyDictionaryStringString)).Append('}');
        PageLayout.Script(sb, "prov-page", styles.ToString(), "scan.js");
        return sb.Append("</body></html>").ToString();
    }

    private static void Product(StringBuilder sb, JsonElement scan, PageText text)
    {
        if (scan.Object("product") is not { } product)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"product\"><h2>").Append(h.Encode(text["product.heading"])).Append("</h2><dl>");
        Fact(sb, text["product.name"], product.String("name") ?? "—");
        Fact(sb, text["product.brand"], product.String("brand") ?? "—");
        Fact(sb, text["product.gtin"], product.String("gtin") ?? "—");
        if (scan.Object("code")?.String("lot") is { } lot)
        {
            Fact(sb, text["product.lot"], lot);
        }

        sb.Append("</dl></section>");
    }

    private static void Origin(StringBuilder sb, JsonElement scan, PageText text, Site? site)
    {
        if (scan.Object("origin") is not { } origin)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"origin\"><h2>").Append(h.Encode(text["origin.heading"])).Append("</h2><dl>");
        var line = origin.String("line") ?? "—";
        var lineKey = line.StartsWith("line", StringComparison.OrdinalIgnoreCase) ? "origin.siteLineNamed" : "origin.siteLine";
        Fact(sb, text["origin.site"], text.Format(lineKey, ("site", origin.String("siteName") ?? site?.Name ?? origin.String("siteId")), ("line", line)));
        if (origin.Time("sealedAt") is { } sealedAt)
        {
            Fact(sb, text["origin.sealedOn"], JsonRead.Display(sealedAt));
        }

        var attestation = origin.Object("attestation");
        if (attestation is { } a)
        {
            var value = a.Boolean("attested") == true
                ? text.Format("origin.attested", ("distance", Fixed(a.Number("distanceM"), "0")), ("sats", Fixed(a.Number("sats"), "0")), ("bds", Fixed(a.Number("bdsSats"), "0")), ("hdop", Fixed(a.Number("hdop"), "0.0")))
                : text.Format("origin.notAttested", ("failures", string.Join(", ", a.Array("failures").Select(f => f.GetString() ?? string.Empty).Select(f => text.Has($"failure.{f}") ? text[$"failure.{f}"] : f))));
            Fact(sb, text["origin.attestation"], value);
        }

        sb.Append("</dl>");
        if (site is not null)
        {
            GeoPoint? fix = attestation is { } at && at.Number("lat") is { } lat && at.Number("lon") is { } lon ? new GeoPoint(lat, lon) : null;
            OriginMap.Render(sb, site.Center, site.RadiusMeters, site.Polygon, fix, text);
        }

        sb.Append("</section>");
    }

    private static void Ledger(StringBuilder sb, JsonElement scan, PageText text)
    {
        if (scan.Object("ledger") is not { } ledger)
        {
            return;
        }

        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"ledger\"><h2>").Append(h.Encode(text["ledger.heading"])).Append("</h2><dl><dt>").Append(h.Encode(text["ledger.record"]))
          .Append("</dt><dd><code>").Append(h.Encode(ledger.String("eventId") ?? "—")).Append("</code></dd>");
        if (ledger.String("txId") is { } txId && ledger.String("status") != "pending")
        {
            var block = ledger.Number("blockNumber") is { } b ? b.ToString("0", CultureInfo.InvariantCulture) : "—";
            Fact(sb, text["ledger.entry"], text.Format("ledger.blockValue", ("block", block)));
            sb.Append("<dt>").Append(h.Encode(text["ledger.transaction"])).Append("</dt><dd><code>").Append(h.Encode(txId)).Append("</code></dd>");
        }
        else if (ledger.Number("index") is { } index)
        {
            Fact(sb, text["ledger.entry"], text.Format("ledger.entryValue", ("index", index.ToString("0", CultureInfo.InvariantCulture)), ("engine", ledger.String("engine"))));
            sb.Append("<dt>").Append(h.Encode(text["ledger.hash"])).Append("</dt><dd><code>").Append(h.Encode(ledger.String("hash") ?? "—")).Append("</code></dd>");
        }
        else
        {
            Fact(sb, text["ledger.entry"], text["ledger.pending"]);
        }

        sb.Append("</dl></section>");
    }

    private static void History(StringBuilder sb, JsonElement scan, PageText text, TagScanSummary? summary)
    {
        string? line = null;
        if (scan.Object("history") is { } history && history.Number("count") is { } count && history.Time("firstAt") is { } firstAt)
        {
            var place = history.Place("firstPlace");
            line = text.Format(count == 1 ? (place is null ? "history.once" : "history.oncePlace") : place is null ? "history.count" : "history.countPlace", ("count", count.ToString("0", CultureInfo.InvariantCulture)), ("firstAt", JsonRead.Display(firstAt)), ("firstPlace", place));
        }
        else if (summary is not null)
        {
            line = summary is { Count: > 0, FirstAt: { } first }
                ? text.Format(summary.Count == 1 ? "history.once" : "history.count", ("count", summary.Count.ToString(CultureInfo.InvariantCulture)), ("firstAt", JsonRead.Display(first)))
                : text["history.first"];
        }

        if (line is not null)
        {
            var h = HtmlEncoder.Default;
            sb.Append("<section id=\"history\"><h2>").Append(h.Encode(text["history.heading"])).Append("</h2><p>").Append(h.Encode(line)).Append("</p></section>");
        }
    }

    private static void Fact(StringBuilder sb, string label, string value)
    {
        var h = HtmlEncoder.Default;
        sb.Append("<dt>").Append(h.Encode(label)).Append("</dt><dd>").Append(h.Encode(value)).Append("</dd>");
    }

    private static string Fixed(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}

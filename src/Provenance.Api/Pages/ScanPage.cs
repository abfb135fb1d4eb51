using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Pages.Text;
using Provenance.Core.Registry;
using Provenance.Fabric;
using Provenance.Storage;
using Provenance.Storage.Proofs;

namespace Provenance.Api.Pages;

/// <summary>
/// The consumer page at the Digital Link URL: the verdict at a glance, then product, origin (with a locally drawn
/// map), the tamper-proof record and scan history; English or Simplified Chinese by <c>Accept-Language</c>; times in
/// the viewer's own zone (the script), else the plants' zone (<see cref="PageOptions.TimeZone"/>). Everything
/// meaningful is server-rendered; <c>/assets/scan.js</c> localises times and adds the optional location re-check.
/// The page is drawn from the scan's JSON, so fields the verdict engine adds appear without changes here, and
/// absent ones are simply left out.
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
        var zone = PageTime.FindZone(services.GetService<IOptions<PageOptions>>()?.Value.TimeZone) ?? PageTime.DefaultZone;
        var nodeKey = result.Ledger is not null ? services.GetService<ProofEvidenceStore>()?.NodePublicKeyPem() : null;
        var fabricTrust = result.Ledger is not null ? services.GetService<MspTrust>() : null;
        return Render(JsonSerializer.SerializeToElement(result, ApiJsonContext.Default.ScanResult), text, site, summary, zone, nodeKey, fabricTrust);
    }

    /// <summary>Renders the page for a scan result without a request (English unless <paramref name="text"/> says otherwise).</summary>
    public static string Render(ScanResult result, PageText? text = null, Site? site = null, TagScanSummary? summary = null, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(JsonSerializer.SerializeToElement(result, ApiJsonContext.Default.ScanResult), text ?? PageText.English, site, summary, zone);
    }

    /// <summary>
    /// Renders the page from the scan JSON (the wire shape of <see cref="ScanResult"/>, possibly with more fields).
    /// <paramref name="nodeKeyPem"/>: the ledger key the page's own proof check trusts (see <see cref="ProofCheckSection"/>).
    /// </summary>
    public static string Render(JsonElement scan, PageText text, Site? site = null, TagScanSummary? summary = null, TimeZoneInfo? zone = null, string? nodeKeyPem = null, MspTrust? fabricTrust = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        zone ??= PageTime.DefaultZone;
        var h = HtmlEncoder.Default;
        var verdict = scan.String("verdict") ?? "unknown";
        var sb = new StringBuilder(8192);
        var title = VerdictStyle.Colours.ContainsKey(verdict) ? text[$"verdict.{verdict}.title"] : text.Format("verdict.other.title", ("verdict", verdict));
        PageLayout.Open(sb, text.Language, $"{title} · {text["site.name"]}");
        sb.Append("<main>");
        VerdictPanel.Render(sb, scan, text, zone);
        // A cap's message is single-use: asking again with a location would replay it, so caps get no re-check.
        if (verdict != "counterfeit" && scan.Object("cap") is null)
        {
            sb.Append("<section class=\"geo\" id=\"geo\" hidden><button id=\"geo-button\" type=\"button\">").Append(h.Encode(text["geo.button"])).Append("</button>")
              .Append("<p class=\"hint\" id=\"geo-hint\">").Append(h.Encode(text["geo.hint"])).Append("</p><p class=\"muted\" id=\"geo-status\" aria-live=\"polite\"></p></section>");
        }

        Product(sb, scan, text);
        EvidenceSections.Origin(sb, scan, text, site, zone);
        EvidenceSections.Ledger(sb, scan, text);
        var checksProof = ProofCheckSection.Applies(scan);
        if (checksProof)
        {
            ProofCheckSection.Render(sb, text, nodeKeyPem, fabricTrust);
        }

        History(sb, scan, text, summary, zone);
        sb.Append("<footer>").Append(h.Encode(text["verdict.detail.scannedAt"])).Append(": ");
        if (scan.Time("scannedAt") is { } at)
        {
            PageTime.Append(sb, at, text, zone);
        }

        sb.Append(" · ").Append(h.Encode(text["site.name"])).Append("</footer></main>");
        PageLayout.Script(sb, "prov-page", "{\"text\":" + text.ToJson() + ",\"proof\":" + ProofCheckSection.Data(nodeKeyPem, fabricTrust) + "}", "scan.js");
        if (checksProof)
        {
            PageLayout.ScriptFile(sb, "fabric-check.js");
            PageLayout.ScriptFile(sb, "proof-check.js");
        }

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
        EvidenceSections.Fact(sb, text["product.name"], product.String("name") ?? "—");
        EvidenceSections.Fact(sb, text["product.brand"], product.String("brand") ?? "—");
        EvidenceSections.Fact(sb, text["product.gtin"], product.String("gtin") ?? "—");
        if (scan.Object("code")?.String("lot") is { } lot)
        {
            EvidenceSections.Fact(sb, text["product.lot"], lot);
        }

        sb.Append("</dl></section>");
    }

    private static void History(StringBuilder sb, JsonElement scan, PageText text, TagScanSummary? summary, TimeZoneInfo zone)
    {
        var line = new StringBuilder();
        if (scan.Object("history") is { } history && history.Number("count") is { } count && history.Time("firstAt") is { } firstAt)
        {
            var place = history.Place("firstPlace");
            var key = count == 1 ? (place is null ? "history.once" : "history.oncePlace") : place is null ? "history.count" : "history.countPlace";
            PageHtml.Text(line, text, zone, key, ("count", count.ToString("0", System.Globalization.CultureInfo.InvariantCulture)), ("firstAt", firstAt), ("firstPlace", place));
        }
        else if (summary is { Count: > 0, FirstAt: { } first })
        {
            PageHtml.Text(line, text, zone, summary.Count == 1 ? "history.once" : "history.count", ("count", summary.Count), ("firstAt", first));
        }
        else if (summary is not null)
        {
            PageHtml.Text(line, text, zone, "history.first");
        }

        if (line.Length > 0)
        {
            sb.Append("<section id=\"history\"><h2>").Append(HtmlEncoder.Default.Encode(text["history.heading"])).Append("</h2><p>").Append(line).Append("</p></section>");
        }
    }
}

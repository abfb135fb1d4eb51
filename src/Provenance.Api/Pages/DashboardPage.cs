using System.Text;
using System.Text.Encodings.Web;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// The producer dashboard's page: a frame whose sections <c>/assets/dashboard.js</c> fills from <c>GET /api/dashboard</c>
/// (polled every few seconds) and <c>GET /api/alerts</c> (when the server has it), and whose analytics sections
/// <c>/assets/dashboard-analytics.js</c> fills from <c>GET /api/analytics/*</c>. Charts are inline SVG drawn by the scripts.
/// </summary>
public static class DashboardPage
{
    public const string DataPath = "/api/dashboard";
    public const string AlertsPath = "/api/alerts";
    public const string HeatMapPath = "/api/analytics/scans.geojson";
    public const string DealersPath = "/api/analytics/dealers";
    public const string CampaignsPath = "/api/analytics/campaigns";

    public static string Render(PageText text, string antiforgeryToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = HtmlEncoder.Default;
        var sb = new StringBuilder(4096);
        PageLayout.Open(sb, text.Language, $"{text["dash.title"]} · {text["site.name"]}");
        sb.Append("<main class=\"wide\"><form method=\"post\" action=\"/dashboard/logout\" class=\"signout\"><input type=\"hidden\" name=\"")
          .Append(DashboardLoginPage.TokenField).Append("\" value=\"").Append(h.Encode(antiforgeryToken)).Append("\"><button type=\"submit\" id=\"signout\">")
          .Append(h.Encode(text["dash.signout"])).Append("</button></form><h1>").Append(h.Encode(text["dash.title"])).Append("</h1>")
          .Append("<p class=\"muted\" id=\"dash-updated\" aria-live=\"polite\"></p><noscript><p>").Append(h.Encode(text["dash.noscript"])).Append("</p></noscript>")
          .Append("<div class=\"grid\">")
          .Append("<section id=\"seals\"><h2>").Append(h.Encode(text["dash.seals.heading"])).Append("</h2><div class=\"tiles\">")
          .Append("<div class=\"tile\"><b id=\"seals-last-minute\">–</b>").Append(h.Encode(text["dash.seals.lastMinute"])).Append("</div>")
          .Append("<div class=\"tile\"><b id=\"seals-last-hour\">–</b>").Append(h.Encode(text["dash.seals.lastHour"])).Append("</div>")
          .Append("<div class=\"tile\"><b id=\"gateways-online\">–</b>").Append(h.Encode(text["dash.gateways.heading"])).Append("</div>")
          .Append("</div><div id=\"lines\"></div></section>")
          .Append("<section id=\"alerts\"><h2>").Append(h.Encode(text["dash.alerts.heading"])).Append("</h2><ul class=\"alerts\" id=\"alert-list\"></ul><p class=\"muted\" id=\"alerts-note\"></p></section>")
          .Append("</div><div class=\"grid\">")
          .Append("<section id=\"heatmap\"><h2>").Append(h.Encode(text["dash.heat.heading"])).Append("</h2><div id=\"heat-map\"></div><ol class=\"places\" id=\"heat-top\"></ol><p class=\"muted\" id=\"heat-note\"></p></section>")
          .Append("<section id=\"dealers\"><h2>").Append(h.Encode(text["dash.dealers.heading"])).Append("</h2><table class=\"rank\" id=\"dealer-table\"><thead><tr><th>")
          .Append(h.Encode(text["dash.dealers.name"])).Append("</th><th>").Append(h.Encode(text["dash.dealers.total"])).Append("</th><th>").Append(h.Encode(text["dash.dealers.kinds"]))
          .Append("</th></tr></thead><tbody></tbody></table><p class=\"muted\" id=\"dealers-note\"></p></section>")
          .Append("<section id=\"campaigns\"><h2>").Append(h.Encode(text["dash.campaigns.heading"])).Append("</h2><div id=\"campaign-list\"></div><p class=\"muted\" id=\"campaigns-note\"></p></section>")
          .Append("</div><section id=\"gateways\"><h2>").Append(h.Encode(text["dash.gateways.heading"])).Append("</h2><div id=\"gateway-list\"></div></section></main>");
        PageLayout.Script(sb, "prov-dashboard", "{\"text\":" + text.ToJson() + ",\"data\":\"" + DataPath + "\",\"alerts\":\"" + AlertsPath + "\",\"heatmap\":\"" + HeatMapPath + "\",\"dealers\":\"" + DealersPath + "\",\"campaigns\":\"" + CampaignsPath + "\",\"intervalMs\":3000}", "dashboard.js");
        PageLayout.ScriptFile(sb, "dashboard-analytics.js");
        return sb.Append("</body></html>").ToString();
    }
}

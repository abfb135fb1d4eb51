using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Provenance.Api.Pages;

/// <summary>The consumer page for a scan: the verdict at a glance, then product, origin and ledger proof. No external resources.</summary>
internal static class ScanPage
{
    public static string Render(ScanResult result)
    {
        var (colour, icon, title) = result.Verdict switch
        {
            "authentic" => ("#1b7f3b", "✔", "Genuine"),
            "not_sealed" => ("#b26a00", "!", "Not sealed"),
            "unknown" => ("#b26a00", "?", "Unknown code"),
            _ => ("#b3261e", "✖", "Counterfeit"),
        };
        var h = HtmlEncoder.Default;
        var sb = new StringBuilder(4096);
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
          .Append("<title>").Append(h.Encode(title)).Append(" · Provenance</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f6;color:#222}main{max-width:34rem;margin:auto;padding:1rem}")
          .Append(".verdict{color:#fff;border-radius:12px;padding:1.2rem;text-align:center}.verdict .icon{font-size:3rem;line-height:1}")
          .Append("section{background:#fff;border-radius:12px;padding:1rem;margin-top:1rem}dt{font-weight:600;margin-top:.4rem}dd{margin:0}code{word-break:break-all}")
          .Append("</style></head><body><main>")
          .Append("<div class=\"verdict\" id=\"verdict\" data-verdict=\"").Append(h.Encode(result.Verdict)).Append("\" style=\"background:").Append(colour).Append("\">")
          .Append("<div class=\"icon\">").Append(icon).Append("</div><h1>").Append(h.Encode(title)).Append("</h1><p>").Append(h.Encode(result.Message)).Append("</p></div>");
        if (result.Product is { } product)
        {
            sb.Append("<section><h2>Product</h2><dl><dt>Name</dt><dd>").Append(h.Encode(product.Name ?? "—")).Append("</dd><dt>Brand</dt><dd>")
              .Append(h.Encode(product.Brand ?? "—")).Append("</dd><dt>GTIN</dt><dd>").Append(h.Encode(product.Gtin)).Append("</dd>");
            if (result.Code?.Lot is { } lot)
            {
                sb.Append("<dt>Lot</dt><dd>").Append(h.Encode(lot)).Append("</dd>");
            }

            sb.Append("</dl></section>");
        }

        if (result.Origin is { } origin)
        {
            sb.Append("<section><h2>Origin</h2><dl><dt>Sealed at</dt><dd>").Append(h.Encode(origin.SiteName ?? origin.SiteId)).Append(", line ").Append(h.Encode(origin.Line))
              .Append("</dd><dt>Sealed on</dt><dd>").Append(h.Encode(origin.SealedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</dd>");
            if (origin.Attestation is { } a)
            {
                sb.Append("<dt>Satellite-attested origin</dt><dd>")
                  .Append(a.Attested
                      ? h.Encode(string.Create(CultureInfo.InvariantCulture, $"Yes — {a.DistanceMeters:0} m from the plant, {a.SatellitesUsed} satellites ({a.BeiDouSatellitesUsed} BeiDou)"))
                      : h.Encode("Not attested: " + string.Join(", ", a.Failures)))
                  .Append("</dd>");
            }

            sb.Append("</dl></section>");
        }

        if (result.Ledger is { } ledger)
        {
            sb.Append("<section><h2>Ledger proof</h2><dl><dt>Record</dt><dd><code>").Append(h.Encode(ledger.EventId)).Append("</code></dd>");
            if (ledger.Index is { } index)
            {
                sb.Append("<dt>Entry</dt><dd>#").Append(index.ToString(CultureInfo.InvariantCulture)).Append(" (").Append(h.Encode(ledger.Engine)).Append(")</dd><dt>Hash</dt><dd><code>")
                  .Append(h.Encode(ledger.Hash ?? string.Empty)).Append("</code></dd>");
            }
            else
            {
                sb.Append("<dt>Entry</dt><dd>pending</dd>");
            }

            sb.Append("</dl></section>");
        }

        return sb.Append("</main></body></html>").ToString();
    }
}

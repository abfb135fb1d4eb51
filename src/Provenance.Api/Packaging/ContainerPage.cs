using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Provenance.Api.Pages;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Packaging;

/// <summary>
/// The page at a case's or pallet's code: what the package is, how many bottles (and boxes or cases) it holds and of
/// which products, and that each bottle carries its own code to check. No codes of any kind are shown.
/// </summary>
public static class ContainerPage
{
    private const string KnownColour = "#1a56db";

    public static string Render(ContainerScanResult result, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = PageLanguage.Negotiate(context.Request.Headers.AcceptLanguage.ToString());
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        context.Response.Headers.ContentLanguage = text.Language;
        return Render(result, text);
    }

    public static string Render(ContainerScanResult result, PageText text)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(text);
        var h = HtmlEncoder.Default;
        var known = result.Status == ContainerScanResult.Known && result.Level is not null;
        var title = known ? text[$"container.{result.Level}.title"] : text["container.unknown.title"];
        var sb = new StringBuilder(4096);
        PageLayout.Open(sb, text.Language, $"{title} · {text["site.name"]}");
        sb.Append("<main><div class=\"verdict\" id=\"verdict\" role=\"status\" data-container=\"").Append(h.Encode(known ? result.Level! : "unknown"))
          .Append("\" style=\"background:").Append(known ? KnownColour : VerdictStyle.Colour("unknown")).Append("\">")
          .Append("<div class=\"icon\" aria-hidden=\"true\">").Append(known ? "▦" : "?").Append("</div>")
          .Append("<h1 id=\"verdict-title\">").Append(h.Encode(title)).Append("</h1><p id=\"verdict-sentence\">");
        if (!known)
        {
            sb.Append(h.Encode(text["container.unknown.sentence"])).Append("</p></div>");
        }
        else
        {
            var count = result.BottleCount.ToString("0", CultureInfo.InvariantCulture);
            sb.Append(h.Encode(result.BottleCount == 0 ? text["container.empty"] : text.Format(result.BottleCount == 1 ? "container.holdsOne" : "container.holds", ("count", count))));
            var inside = new[] { "case", "box" }.Where(result.Contents.ContainsKey)
                .Select(level => text.Format($"container.{level}.count", ("count", result.Contents[level].ToString("0", CultureInfo.InvariantCulture)))).ToList();
            if (inside.Count > 0)
            {
                sb.Append(' ').Append(h.Encode(text.Format("container.packedIn", ("parts", string.Join(text["container.listSeparator"], inside)))));
            }

            sb.Append("</p></div>");
            if (result.Products.Count > 0)
            {
                sb.Append("<section id=\"contents\"><h2>").Append(h.Encode(text["container.contents.heading"])).Append("</h2><ul>");
                foreach (var product in result.Products)
                {
                    var name = product.Name is null ? text["container.product.unnamed"] : product.Brand is null ? product.Name : $"{product.Name} · {product.Brand}";
                    sb.Append("<li>").Append(h.Encode(text.Format("container.product", ("count", product.Count.ToString("0", CultureInfo.InvariantCulture)), ("name", name)))).Append("</li>");
                }

                sb.Append("</ul></section>");
            }

            sb.Append("<section id=\"check-bottles\"><p>").Append(h.Encode(text["container.checkBottles"])).Append("</p></section>");
        }

        sb.Append("<footer>").Append(h.Encode(text["site.name"])).Append("</footer></main></body></html>");
        return sb.ToString();
    }
}

using System.Text;
using System.Text.Encodings.Web;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>The dashboard's sign-in form: a producer API key, posted once with an antiforgery token; the server then keeps a session.</summary>
internal static class DashboardLoginPage
{
    /// <summary>The antiforgery form field.</summary>
    public const string TokenField = "__af";

    public static string Render(PageText text, string antiforgeryToken, string? errorKey)
    {
        var h = HtmlEncoder.Default;
        var sb = new StringBuilder(2048);
        PageLayout.Open(sb, text.Language, $"{text["signin.title"]} · {text["site.name"]}");
        sb.Append("<main><section><h1>").Append(h.Encode(text["dash.title"])).Append("</h1><p>").Append(h.Encode(text["signin.intro"])).Append("</p>");
        if (errorKey is not null)
        {
            sb.Append("<p class=\"error\" id=\"login-error\" role=\"alert\">").Append(h.Encode(text[errorKey])).Append("</p>");
        }

        sb.Append("<form method=\"post\" action=\"/dashboard/login\" class=\"signin\"><input type=\"hidden\" name=\"").Append(TokenField).Append("\" value=\"")
          .Append(h.Encode(antiforgeryToken)).Append("\"><label for=\"key\">").Append(h.Encode(text["signin.key"])).Append("</label>")
          .Append("<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required><button type=\"submit\">")
          .Append(h.Encode(text["signin.submit"])).Append("</button></form></section></main></body></html>");
        return sb.ToString();
    }
}

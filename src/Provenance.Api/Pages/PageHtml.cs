using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// Writes a page text with its <c>{name}</c> placeholders filled in as HTML: text is encoded, and a
/// <see cref="DateTimeOffset"/> value becomes a <c>&lt;time&gt;</c> element (see <see cref="PageTime"/>), so times
/// inside sentences are localised by the page script too. Stateless.
/// </summary>
internal static class PageHtml
{
    public static StringBuilder Text(StringBuilder sb, PageText text, TimeZoneInfo zone, string key, params (string Name, object? Value)[] values)
    {
        var h = HtmlEncoder.Default;
        var template = text[key];
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                sb.Append(h.Encode(template[at..]));
                break;
            }

            sb.Append(h.Encode(template[at..open]));
            var name = template[(open + 1)..close];
            var found = Array.FindIndex(values, v => v.Name == name);
            if (found < 0)
            {
                sb.Append(h.Encode(template[open..(close + 1)]));
            }
            else if (values[found].Value is DateTimeOffset time)
            {
                PageTime.Append(sb, time, text, zone);
            }
            else
            {
                sb.Append(h.Encode(Convert.ToString(values[found].Value, CultureInfo.InvariantCulture) ?? string.Empty));
            }

            at = close + 1;
        }

        return sb;
    }

    /// <summary>A bottling line as people say it: <c>line-1</c> → "line 1" (English) or "1 号线" (Chinese); other ids as they are.</summary>
    public static string Line(string? line, PageText text)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return "—";
        }

        var trimmed = line.Trim();
        var bare = trimmed.StartsWith("line", StringComparison.OrdinalIgnoreCase) ? trimmed[4..].TrimStart('-', '_', ' ') : trimmed;
        return text.Format("origin.line", ("line", bare.Length == 0 ? trimmed : bare));
    }
}

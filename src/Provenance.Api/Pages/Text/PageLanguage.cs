using System.Globalization;

namespace Provenance.Api.Pages.Text;

/// <summary>
/// Chooses the page language from <c>Accept-Language</c> (RFC 9110 §12.5.4): ranges are tried by descending
/// q-value (ties in the order sent; q=0 means "not acceptable"); the first that is English or Chinese wins.
/// Any Chinese range (zh, zh-CN, zh-Hans, zh-SG, …) gets Simplified Chinese, the only Chinese the pages have;
/// everything else, and no header at all, gets English.
/// </summary>
public static class PageLanguage
{
    public static PageText Negotiate(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage))
        {
            return PageText.English;
        }

        var ranges = new List<(string Tag, double Q, int Order)>();
        var order = 0;
        foreach (var part in acceptLanguage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var parameter in pieces.Skip(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out q))
                {
                    q = 0;
                }
            }

            if (q > 0 && pieces[0].Length > 0)
            {
                ranges.Add((pieces[0], Math.Min(q, 1), order++));
            }
        }

        foreach (var (tag, _, _) in ranges.OrderByDescending(r => r.Q).ThenBy(r => r.Order))
        {
            var primary = tag.Split('-')[0];
            if (primary.Equals("zh", StringComparison.OrdinalIgnoreCase))
            {
                return PageText.SimplifiedChinese;
            }

            if (primary.Equals("en", StringComparison.OrdinalIgnoreCase) || primary == "*")
            {
                return PageText.English;
            }
        }

        return PageText.English;
    }
}

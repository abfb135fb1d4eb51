using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Provenance.Api.Pages.Text;

namespace Provenance.Api.Pages;

/// <summary>
/// Times on pages: written as <c>&lt;time datetime="…Z"&gt;</c> elements in the server's fallback zone with its UTC
/// offset, e.g. "30 Nov 2026, 22:11 (UTC+8)"; the page scripts rewrite every such element into the viewer's own time
/// zone with the same format (<c>time.format</c>, <c>time.months</c>) and no offset. Stateless.
/// </summary>
public static class PageTime
{
    public const string DefaultZoneId = "Asia/Shanghai";

    /// <summary>The zone with IANA id <paramref name="id"/>, or null when this machine does not know it (no tzdata).</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>The default zone, or UTC where the machine has no time zone data.</summary>
    public static TimeZoneInfo DefaultZone { get; } = FindZone(DefaultZoneId) ?? TimeZoneInfo.Utc;

    /// <summary><paramref name="instant"/> in <paramref name="zone"/>, in the page language's format; with the UTC offset when <paramref name="withOffset"/>.</summary>
    public static string Display(DateTimeOffset instant, PageText text, TimeZoneInfo zone, bool withOffset = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var months = text["time.months"].Split(',');
        var shown = text.Format("time.format",
            ("year", local.Year), ("month", months[local.Month - 1]), ("monthNumber", local.Month), ("day", local.Day),
            ("hh", local.Hour.ToString("00", CultureInfo.InvariantCulture)), ("mm", local.Minute.ToString("00", CultureInfo.InvariantCulture)));
        return withOffset ? text.Format("time.zone", ("time", shown), ("zone", Offset(local.Offset))) : shown;
    }

    /// <summary>Appends a <c>&lt;time&gt;</c> element for <paramref name="instant"/>.</summary>
    public static void Append(StringBuilder sb, DateTimeOffset instant, PageText text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(sb);
        sb.Append("<time datetime=\"").Append(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\">")
          .Append(HtmlEncoder.Default.Encode(Display(instant, text, zone))).Append("</time>");
    }

    private static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:00}");
    }
}

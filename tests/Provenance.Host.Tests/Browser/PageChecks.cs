using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Provenance.Api.Pages;
using Provenance.Api.Pages.Text;
using Provenance.Core.Verdicts;

namespace Provenance.Host.Tests.Browser;

/// <summary>What a person must never see on a page (internal codes, engine names, UTC or "none"), and times in their own zone.</summary>
internal static partial class PageChecks
{
    /// <summary>Every reason code and verdict wire name, and the ledger engines' names.</summary>
    public static IReadOnlyList<string> Forbidden { get; } =
        [.. VerdictReasons.All, .. ScanVerdicts.Precedence.Select(ScanVerdicts.Name).Where(n => n.Contains('_', StringComparison.Ordinal)), "embedded", "fabric"];

    /// <summary>
    /// Fails when the page's visible text holds a reason code, a verdict's wire name, a ledger engine's name, "UTC" or the
    /// word "none", or when a <c>&lt;time&gt;</c> element is not written in <paramref name="timeZoneId"/> (the browser's) in the page's format.
    /// </summary>
    public static async Task AssertPlainWordsAsync(IPage page, PageText text, string timeZoneId)
    {
        var visible = await page.Locator("body").InnerTextAsync();
        var found = Forbidden.Where(code => visible.Contains(code, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(found.Count == 0, $"the page shows {string.Join(", ", found)}:\n{visible}");
        Assert.DoesNotContain("UTC", visible, StringComparison.Ordinal);
        Assert.False(NoneWord().IsMatch(visible), $"the page says 'none':\n{visible}");

        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var times = await page.EvaluateAsync<JsonElement>("() => Array.from(document.querySelectorAll('time')).map(t => [t.getAttribute('datetime'), t.textContent, t.getAttribute('data-zone') || ''])");
        foreach (var time in times.EnumerateArray())
        {
            var at = DateTimeOffset.Parse(time[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("viewer", time[2].GetString());
            Assert.Equal(PageTime.Display(at, text, zone, withOffset: false), time[1].GetString());
        }
    }

    [GeneratedRegex(@"\bnone\b", RegexOptions.IgnoreCase)]
    private static partial Regex NoneWord();
}

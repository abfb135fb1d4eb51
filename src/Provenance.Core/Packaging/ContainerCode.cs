using Provenance.Core.Codes;
using Provenance.Core.Gateways;

namespace Provenance.Core.Packaging;

/// <summary>
/// Reads the code of a box, case or pallet into its canonical Digital Link path: <c>/00/{sscc}</c> for a logistic unit
/// (cases and pallets) or <c>/01/{gtin}/21/{serial}</c> for a box with its own GTIN. Accepted forms: a Digital Link URI
/// (<c>https://…/00/…</c>), the canonical path itself, or a GS1 element string (<c>00</c> + 18 digits, or
/// <c>01</c> + 14 digits + <c>21</c> + serial). Check digits are verified. Thread-safe.
/// </summary>
public static class ContainerCode
{
    public const int MaxLength = 1024;

    public static bool TryParse(string? text, out string canonicalPath, out string error)
    {
        canonicalPath = string.Empty;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            error = $"a container code is 1..{MaxLength} characters";
            return false;
        }

        string? uri = text switch
        {
            _ when text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal) => text,
            _ when text.StartsWith('/') => "https://container.invalid" + text,
            _ when text.Length == 20 && text.StartsWith("00", StringComparison.Ordinal) && text.All(char.IsAsciiDigit) => "https://container.invalid/00/" + text[2..],
            _ when TagReference.TryParseElementString(text, out var gtin, out var serial) => $"https://container.invalid/01/{gtin}/21/{DigitalLinkEscaping.Encode(serial)}",
            _ => null,
        };
        DigitalLink? link = null;
        string? linkError = null;
        if (uri is null || !DigitalLink.TryParse(uri, out link, out linkError))
        {
            error = $"'{Bounded(text)}' is not a container code: give a Digital Link URI (/00/{{sscc}} or /01/{{gtin}}/21/{{serial}}) or a GS1 element string (00… or 01…21…)"
                + (linkError is null ? string.Empty : $": {linkError}");
            return false;
        }

        if (link!.Sscc is null && (link.Gtin is null || link.Serial is null || link.Lot is not null || link.Cpv is not null))
        {
            error = $"'{Bounded(text)}' is not a container code: use an SSCC (AI 00) or a GTIN with a serial (AI 01 + 21) and nothing else";
            return false;
        }

        canonicalPath = link.CanonicalPath;
        error = string.Empty;
        return true;
    }

    private static string Bounded(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

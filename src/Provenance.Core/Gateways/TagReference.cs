namespace Provenance.Core.Gateways;

/// <summary>
/// Reads the GS1 element-string form of a tag, <c>01{gtin14}21{serial}</c> (no parentheses, no FNC1 needed since 21
/// is last), which gateways may send instead of the Digital Link URI.
/// </summary>
public static class TagReference
{
    public static bool TryParseElementString(string? text, out string gtin, out string serial)
    {
        gtin = serial = string.Empty;
        if (text is null || text.Length < 2 + 14 + 2 + 1 || !text.StartsWith("01", StringComparison.Ordinal) || text.AsSpan(16, 2) is not "21")
        {
            return false;
        }

        var g = text.Substring(2, 14);
        if (!g.All(char.IsAsciiDigit))
        {
            return false;
        }

        gtin = g;
        serial = text[18..];
        return serial.Length <= 20;
    }
}

using System.Text;
using Provenance.Core.Codes;

namespace Provenance.Core.Epcis.Internal;

/// <summary>
/// EPC URNs (GS1 EPC Tag Data Standard, pure identity form) of the kinds this product reads, converted to canonical
/// Digital Link: the company prefix and item/serial reference are rejoined into the GS1 key and its check digit
/// added back. Locations and parties (<c>sgln</c>, <c>pgln</c>) are converted for the event hash only.
/// </summary>
internal static class EpcUrn
{
    public static bool TryParse(string urn, out Epc? epc, out string? error)
    {
        epc = null;
        error = null;
        if (Split(urn, "urn:epc:id:sgtin:", 3) is { } sgtin && TryGtin(sgtin[0], sgtin[1], out var gtin) && TryUnescape(sgtin[2], out var serial) && Codes.Serial.IsValid(serial))
        {
            epc = Epc.ForBottle(gtin, serial);
            return true;
        }

        if (Split(urn, "urn:epc:class:lgtin:", 3) is { } lgtin && TryGtin(lgtin[0], lgtin[1], out var lotGtin) && TryUnescape(lgtin[2], out var lot) && lot.Length is > 0 and <= 20 && Cset82.IsValid(lot))
        {
            epc = Epc.ForLot(lotGtin, lot);
            return true;
        }

        if (Split(urn, "urn:epc:id:sscc:", 2) is { } sscc && TrySscc(sscc[0], sscc[1], out var ssccValue))
        {
            epc = Epc.ForSscc(ssccValue);
            return true;
        }

        error = $"'{urn}' is not an SGTIN, SSCC or LGTIN EPC URN this system can read";
        return false;
    }

    /// <summary>The canonical Digital Link of an EPC URN (including locations and parties), or null.</summary>
    public static string? ToDigitalLink(string urn)
    {
        if (TryParse(urn, out var epc, out _))
        {
            return epc!.Uri;
        }

        if (Split(urn, "urn:epc:id:sgln:", 3) is { } sgln && IsDigits(sgln[0]) && IsDigits(sgln[1]) && sgln[0].Length + sgln[1].Length == 12 && TryUnescape(sgln[2], out var extension))
        {
            var gln = sgln[0] + sgln[1];
            gln += CheckDigit.Compute(gln);
            return extension == "0" ? $"{Epc.CanonicalHost}/414/{gln}" : $"{Epc.CanonicalHost}/414/{gln}/254/{DigitalLinkEscaping.Encode(extension)}";
        }

        if (Split(urn, "urn:epc:id:pgln:", 2) is { } pgln && IsDigits(pgln[0]) && IsDigits(pgln[1]) && pgln[0].Length + pgln[1].Length == 12)
        {
            var gln = pgln[0] + pgln[1];
            return $"{Epc.CanonicalHost}/417/{gln}{CheckDigit.Compute(gln)}";
        }

        return null;
    }

    private static string[]? Split(string urn, string prefix, int parts)
    {
        if (!urn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var split = urn[prefix.Length..].Split('.', parts);
        return split.Length == parts ? split : null;
    }

    private static bool TryGtin(string companyPrefix, string itemReference, out string gtin)
    {
        gtin = string.Empty;
        if (!IsDigits(companyPrefix) || !IsDigits(itemReference) || companyPrefix.Length is < 6 or > 12 || companyPrefix.Length + itemReference.Length != 13)
        {
            return false;
        }

        // The indicator digit travels first in the item reference.
        var body = itemReference[0] + companyPrefix + itemReference[1..];
        gtin = body + CheckDigit.Compute(body);
        return true;
    }

    private static bool TrySscc(string companyPrefix, string serialReference, out string sscc)
    {
        sscc = string.Empty;
        if (!IsDigits(companyPrefix) || !IsDigits(serialReference) || companyPrefix.Length is < 6 or > 12 || companyPrefix.Length + serialReference.Length != 17)
        {
            return false;
        }

        var body = serialReference[0] + companyPrefix + serialReference[1..];
        sscc = body + CheckDigit.Compute(body);
        return true;
    }

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    /// <summary>Undoes the TDS escaping of a serial or lot (<c>%2F</c> for '/', and so on).</summary>
    private static bool TryUnescape(string value, out string decoded)
    {
        decoded = value;
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value.Length > 0;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                sb.Append(value[i]);
                continue;
            }

            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b) || b >= 0x80)
            {
                return false;
            }

            sb.Append((char)b);
            i += 2;
        }

        decoded = sb.ToString();
        return decoded.Length > 0;
    }
}

using System.Text;

namespace Provenance.Core.Codes;

/// <summary>
/// Percent-encoding for Digital Link values: every character outside the URI unreserved set
/// (<c>A–Z a–z 0–9 - . _ ~</c>) is encoded, which covers the CSET 82 characters the GS1 Digital Link standard
/// requires to be escaped (<c>! " % &amp; ' ( ) * + , / : ; &lt; = &gt; ?</c>).
/// </summary>
internal static class DigitalLinkEscaping
{
    public static string Encode(string value)
    {
        var plain = true;
        foreach (var c in value)
        {
            if (!IsUnreserved(c))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 0x80 && IsUnreserved((char)b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes percent-escapes; false for a broken escape or invalid UTF-8.</summary>
    public static bool TryDecode(string value, out string decoded)
    {
        decoded = value;
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                {
                    return false;
                }

                bytes.Add((byte)Convert.ToInt32(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                return false;
            }
        }

        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}

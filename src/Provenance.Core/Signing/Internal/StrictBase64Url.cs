using System.Buffers;
using System.Buffers.Text;

namespace Provenance.Core.Signing.Internal;

/// <summary>
/// base64url as RFC 7515 §2 uses it, and nothing more lenient: the 64-character URL-safe alphabet only (no padding,
/// no whitespace, no '+' or '/'), a length that can encode whole bytes, and zero unused bits in the last character,
/// so that one token has exactly one spelling.
/// </summary>
internal static class StrictBase64Url
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1)
        {
            return false;
        }

        if (text.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        if (text.Length > 0 && !LastCharacterIsCanonical(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }

    private static bool LastCharacterIsCanonical(ReadOnlySpan<char> text)
    {
        var unusedBits = (text.Length % 4) switch
        {
            2 => 4,
            3 => 2,
            _ => 0,
        };
        var last = text[^1];
        var value = last switch
        {
            >= 'A' and <= 'Z' => last - 'A',
            >= 'a' and <= 'z' => last - 'a' + 26,
            >= '0' and <= '9' => last - '0' + 52,
            '-' => 62,
            _ => 63,
        };
        return (value & ((1 << unusedBits) - 1)) == 0;
    }
}

using System.Buffers;

namespace Provenance.Core.Codes;

/// <summary>GS1 AI encodable character set 82 (the characters allowed in serials, lots and other alphanumeric AIs).</summary>
public static class Cset82
{
    private static readonly SearchValues<char> Characters =
        SearchValues.Create("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");

    public static bool IsValid(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(Characters) < 0;
}

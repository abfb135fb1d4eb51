namespace Provenance.Core.Codes;

/// <summary>The GS1 mod-10 check digit used by GTIN, SSCC and GLN: weights 3 and 1 alternating from the right.</summary>
public static class CheckDigit
{
    /// <summary>The check digit for the digits that precede it.</summary>
    public static char Compute(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            sum += (i % 2 == 0) ? d * 3 : d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>True when the last digit is the check digit of the others (and all are digits).</summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return Compute(digits[..^1]) == digits[^1];
    }
}

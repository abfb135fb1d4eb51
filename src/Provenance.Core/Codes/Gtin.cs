namespace Provenance.Core.Codes;

/// <summary>
/// A Global Trade Item Number, always held as 14 digits (GTIN-8/12/13 are left-padded with zeros) with a valid
/// GS1 mod-10 check digit.
/// </summary>
public readonly record struct Gtin
{
    private Gtin(string value) => Value = value;

    /// <summary>The 14-digit form.</summary>
    public string Value { get; }

    public override string ToString() => Value;

    public static Gtin Parse(string text) =>
        TryParse(text, out var gtin, out var error) ? gtin : throw new FormatException(error);

    public static bool TryParse(string? text, out Gtin gtin, out string? error)
    {
        gtin = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "GTIN is empty";
            return false;
        }

        if (text.Length is not (8 or 12 or 13 or 14))
        {
            error = $"GTIN '{text}' must have 8, 12, 13 or 14 digits, not {text.Length}";
            return false;
        }

        if (!text.All(char.IsAsciiDigit))
        {
            error = $"GTIN '{text}' must contain digits only";
            return false;
        }

        var padded = text.PadLeft(14, '0');
        if (!CheckDigit.IsValid(padded))
        {
            error = $"GTIN '{text}' has a wrong check digit (expected {CheckDigit.Compute(padded.AsSpan(0, 13))})";
            return false;
        }

        gtin = new Gtin(padded);
        error = null;
        return true;
    }
}

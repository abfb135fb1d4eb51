namespace Provenance.Core.Gateways;

/// <summary>Ids of sites, gateways and lines: 1–64 characters of a–z, 0–9, '-' and '_', starting with a letter or digit.</summary>
public static class Identifier
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static string Require(string? id, string what) =>
        IsValid(id) ? id! : throw new ArgumentException($"{what} '{id}' is not a valid id: use 1–{MaxLength} characters a–z, 0–9, '-', '_'.", what);
}

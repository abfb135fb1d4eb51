using System.Security.Cryptography;

namespace Provenance.Core.Codes;

/// <summary>
/// Serial numbers (GS1 AI 21). New serials come from the OS CSPRNG over a 32-character uppercase alphabet without
/// look-alikes (no I, L, O, U): 16 characters carry 80 bits of entropy, so guessing a serial is hopeless and
/// collisions among billions of codes are negligible. Any CSET 82 string of 1–20 characters is accepted as valid.
/// </summary>
public static class Serial
{
    public const int MaxLength = 20;

    /// <summary>The alphabet of generated serials (Crockford base32).</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new random serial; 13 characters or more carry at least 64 bits.</summary>
    public static string Generate(int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 13);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    public static bool IsValid(string? serial) =>
        !string.IsNullOrEmpty(serial) && serial.Length <= MaxLength && Cset82.IsValid(serial);
}

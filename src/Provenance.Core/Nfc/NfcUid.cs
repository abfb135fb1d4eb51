namespace Provenance.Core.Nfc;

/// <summary>
/// NFC chip UIDs as seal events carry them (<c>nfcUid</c>): the ISO/IEC 14443-3 UID in hex, 4, 7 or 10 bytes
/// (NTAG 424 DNA: 7). Stored and compared upper-case, the form a chip's PICCData decrypts to.
/// </summary>
public static class NfcUid
{
    /// <summary>Whether <paramref name="text"/> is 8, 14 or 20 hex digits.</summary>
    public static bool IsValid(string? text) =>
        text is { Length: 8 or 14 or 20 } && text.All(char.IsAsciiHexDigit);

    /// <summary>The upper-case form (null stays null); the caller has checked <see cref="IsValid"/>.</summary>
    public static string? Normalise(string? text) => text?.ToUpperInvariant();
}

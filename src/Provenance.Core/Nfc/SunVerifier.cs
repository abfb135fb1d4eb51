using System.Security.Cryptography;

namespace Provenance.Core.Nfc;

/// <summary>
/// Verifies Secure Unique NFC messages of NTAG 424 DNA (TagTamper) caps per NXP AN12196, AES mode: PICCData is
/// decrypted with the meta-read key of the URL's key id (UID and read counter), the chip's own file-read key is
/// diversified from the UID, and the SDMMAC over the mirrored input is compared in constant time; only then is the
/// file data decrypted for the tamper status. Needs no database: forged messages cost two AES operations and a few
/// CMACs. Counter freshness is the caller's (it needs the last counter seen). Thread-safe.
/// </summary>
public sealed class SunVerifier(NfcKeyRing keys)
{
    private static readonly byte[] DecoyKey = new byte[16];

    public SunVerification Verify(SunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!keys.TryGetMetaReadKey(message.KeyId, out var metaReadKey))
        {
            return new SunVerification(SunStatus.UnknownKey, message.KeyId, $"NFC key id {message.KeyId} is unknown");
        }

        var picc = SecureDynamicMessaging.DecryptPiccData(metaReadKey, message.EncryptedPiccData);
        if (picc is null)
        {
            // Same work as a real check, so response time does not tell whether PICCData decrypted.
            _ = SecureDynamicMessaging.Mac(DecoyKey, new byte[SecureDynamicMessaging.UidBytes], 0, message.MacInput);
            return new SunVerification(SunStatus.BadMac, message.KeyId, "PICCData does not decrypt to a UID and read counter");
        }

        var fileReadKey = keys.FileReadKey(message.KeyId, picc.Uid);
        var expected = SecureDynamicMessaging.Mac(fileReadKey, picc.Uid, picc.ReadCounter, message.MacInput);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Mac))
        {
            return new SunVerification(SunStatus.BadMac, message.KeyId, "the SDMMAC does not match");
        }

        var tamper = TamperStatus.Absent;
        if (message.EncryptedFileData is { } encrypted)
        {
            var plain = SecureDynamicMessaging.DecryptFileData(fileReadKey, picc.Uid, picc.ReadCounter, encrypted);
            tamper = SunUrlLayout.HasMarker(plain) ? TamperStatuses.Parse(plain) : TamperStatus.Unreadable;
        }

        return new SunVerification(SunStatus.Authentic, message.KeyId, null) { Uid = picc.UidHex, ReadCounter = picc.ReadCounter, Tamper = tamper };
    }

    /// <summary>Parses and verifies the key id path segment and raw query of a tap.</summary>
    public SunVerification Verify(string? keyIdSegment, string? query) =>
        SunMessage.TryParse(keyIdSegment, query, out var message, out var error)
            ? Verify(message!)
            : new SunVerification(SunStatus.Malformed, -1, error);
}

using System.Security.Cryptography;
using System.Text;

namespace Provenance.Core.Nfc;

/// <summary>
/// Emulates what an NTAG 424 DNA TagTamper chip encoded with <see cref="SunUrlLayout"/> mirrors on one tap: fresh
/// PICCData (random padding), the file data with the tamper status, and the SDMMAC — for the gateway simulator's
/// demo taps and for tests. It holds only the chip's own keys, as a chip does. Thread-safe.
/// </summary>
public sealed class TapEmulator(int keyId, string uidHex, byte[] sdmMetaReadKey, byte[] sdmFileReadKey)
{
    private readonly byte[] _uid = Convert.FromHexString(uidHex);

    /// <summary>The message of tap number <paramref name="counter"/> with the loop in <paramref name="tamper"/> state.</summary>
    public SunMessage Tap(int counter, TamperStatus tamper = TamperStatus.Closed)
    {
        var picc = SecureDynamicMessaging.EncryptPiccData(sdmMetaReadKey, _uid, counter, RandomNumberGenerator.GetBytes(5));
        if (tamper == TamperStatus.Absent)
        {
            return new SunMessage(keyId, picc, null, SecureDynamicMessaging.Mac(sdmFileReadKey, _uid, counter, []), []);
        }

        var fileData = SecureDynamicMessaging.EncryptFileData(sdmFileReadKey, _uid, counter, SunUrlLayout.FileDataPlaintext(TamperStatuses.Mirror(tamper)));
        var macInput = Encoding.ASCII.GetBytes(Convert.ToHexString(fileData) + "&m=");
        return new SunMessage(keyId, picc, fileData, SecureDynamicMessaging.Mac(sdmFileReadKey, _uid, counter, macInput), macInput);
    }
}

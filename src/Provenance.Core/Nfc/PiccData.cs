namespace Provenance.Core.Nfc;

/// <summary>Decrypted PICCData: the chip's 7-byte UID and its 24-bit SDM read counter.</summary>
public sealed record PiccData(byte[] Uid, int ReadCounter)
{
    /// <summary>The UID as upper-case hex (the form seal events carry in <c>nfcUid</c>).</summary>
    public string UidHex => Convert.ToHexString(Uid);
}

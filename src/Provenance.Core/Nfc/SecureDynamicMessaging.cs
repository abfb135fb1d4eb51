using System.Security.Cryptography;

namespace Provenance.Core.Nfc;

/// <summary>
/// The AES-mode cryptography of NTAG 424 DNA Secure Dynamic Messaging (datasheet NT4H2421Gx §9.3, NXP AN12196):
/// PICCData encryption with the SDM meta-read key (CBC, zero IV), the SDM session keys (SV1 for encryption, SV2 for
/// MACing; NIST SP 800-108 with CMAC), the SDMMAC (the odd-indexed bytes of the CMAC) and SDMENCFileData encryption
/// (CBC with IV = E(session key, counter || 0…)). Both directions, so that the tap emulator produces exactly what a
/// chip does. Stateless and thread-safe.
/// </summary>
public static class SecureDynamicMessaging
{
    public const int UidBytes = 7;
    public const int CounterBytes = 3;
    public const int MacBytes = 8;
    public const int PiccDataBytes = 16;

    /// <summary>PICCDataTag: UID mirrored (bit 7), SDMReadCtr mirrored (bit 6), UID length 7.</summary>
    public const byte PiccDataTag = 0xC7;

    /// <summary>The largest SDMReadCtr (24 bits).</summary>
    public const int MaxCounter = 0xFF_FFFF;

    /// <summary>Decrypts encrypted PICCData; null unless it carries a 7-byte UID and the read counter (tag C7h).</summary>
    public static PiccData? DecryptPiccData(ReadOnlySpan<byte> metaReadKey, ReadOnlySpan<byte> encrypted)
    {
        if (encrypted.Length != PiccDataBytes)
        {
            return null;
        }

        using var aes = NewAes(metaReadKey);
        Span<byte> plain = stackalloc byte[PiccDataBytes];
        aes.DecryptCbc(encrypted, stackalloc byte[16], plain, PaddingMode.None);
        if (plain[0] != PiccDataTag)
        {
            return null;
        }

        var counter = plain[8] | (plain[9] << 8) | (plain[10] << 16);
        return new PiccData(plain.Slice(1, UidBytes).ToArray(), counter);
    }

    /// <summary>PICCData as a chip encrypts it: tag, UID, counter (LSB first) and five bytes of random padding.</summary>
    public static byte[] EncryptPiccData(ReadOnlySpan<byte> metaReadKey, ReadOnlySpan<byte> uid, int counter, ReadOnlySpan<byte> padding)
    {
        CheckUid(uid);
        CheckCounter(counter);
        if (padding.Length != 5)
        {
            throw new ArgumentException("PICCData padding is 5 bytes", nameof(padding));
        }

        Span<byte> plain = stackalloc byte[PiccDataBytes];
        plain[0] = PiccDataTag;
        uid.CopyTo(plain[1..]);
        WriteCounter(counter, plain[8..]);
        padding.CopyTo(plain[11..]);
        using var aes = NewAes(metaReadKey);
        return aes.EncryptCbc(plain, new byte[16], PaddingMode.None);
    }

    /// <summary>SesSDMFileReadMACKey = CMAC(SDMFileReadKey; SV2), SV2 = 3CC3 0001 0080 || UID || SDMReadCtr.</summary>
    public static byte[] SessionMacKey(ReadOnlySpan<byte> fileReadKey, ReadOnlySpan<byte> uid, int counter) =>
        AesCmac.Compute(fileReadKey, SessionVector(0x3C, 0xC3, uid, counter));

    /// <summary>SesSDMFileReadENCKey = CMAC(SDMFileReadKey; SV1), SV1 = C33C 0001 0080 || UID || SDMReadCtr.</summary>
    public static byte[] SessionEncryptionKey(ReadOnlySpan<byte> fileReadKey, ReadOnlySpan<byte> uid, int counter) =>
        AesCmac.Compute(fileReadKey, SessionVector(0xC3, 0x3C, uid, counter));

    /// <summary>SDMMAC: MACt(SesSDMFileReadMACKey; the mirrored bytes from SDMMACInputOffset up to SDMMACOffset).</summary>
    public static byte[] Mac(ReadOnlySpan<byte> fileReadKey, ReadOnlySpan<byte> uid, int counter, ReadOnlySpan<byte> macInput) =>
        Truncate(AesCmac.Compute(SessionMacKey(fileReadKey, uid, counter), macInput));

    /// <summary>The MACt truncation of NTAG 424 DNA: bytes 1, 3, 5, …, 15 of the 16-byte CMAC.</summary>
    public static byte[] Truncate(ReadOnlySpan<byte> cmac)
    {
        if (cmac.Length != 16)
        {
            throw new ArgumentException("a CMAC is 16 bytes", nameof(cmac));
        }

        var mac = new byte[MacBytes];
        for (var i = 0; i < MacBytes; i++)
        {
            mac[i] = cmac[(2 * i) + 1];
        }

        return mac;
    }

    /// <summary>Decrypts SDMENCFileData (whole AES blocks).</summary>
    public static byte[] DecryptFileData(ReadOnlySpan<byte> fileReadKey, ReadOnlySpan<byte> uid, int counter, ReadOnlySpan<byte> encrypted)
    {
        CheckBlocks(encrypted.Length);
        using var aes = NewAes(SessionEncryptionKey(fileReadKey, uid, counter));
        return aes.DecryptCbc(encrypted, FileDataIv(aes, counter), PaddingMode.None);
    }

    /// <summary>Encrypts file data as a chip does for SDMENCFileData (whole AES blocks).</summary>
    public static byte[] EncryptFileData(ReadOnlySpan<byte> fileReadKey, ReadOnlySpan<byte> uid, int counter, ReadOnlySpan<byte> plain)
    {
        CheckBlocks(plain.Length);
        using var aes = NewAes(SessionEncryptionKey(fileReadKey, uid, counter));
        return aes.EncryptCbc(plain, FileDataIv(aes, counter), PaddingMode.None);
    }

    /// <summary>IV = E(SesSDMFileReadENCKey; SDMReadCtr (LSB first) || 13 zero bytes).</summary>
    private static byte[] FileDataIv(Aes sessionAes, int counter)
    {
        Span<byte> block = stackalloc byte[16];
        WriteCounter(counter, block);
        return sessionAes.EncryptEcb(block, PaddingMode.None);
    }

    private static byte[] SessionVector(byte label0, byte label1, ReadOnlySpan<byte> uid, int counter)
    {
        CheckUid(uid);
        CheckCounter(counter);
        var sv = new byte[16];
        sv[0] = label0;
        sv[1] = label1;
        sv[3] = 0x01; // counter 0001h: one 128-bit key
        sv[5] = 0x80; // length 0080h: 128 bits
        uid.CopyTo(sv.AsSpan(6));
        WriteCounter(counter, sv.AsSpan(13));
        return sv;
    }

    private static void WriteCounter(int counter, Span<byte> target)
    {
        target[0] = (byte)counter;
        target[1] = (byte)(counter >> 8);
        target[2] = (byte)(counter >> 16);
    }

    private static Aes NewAes(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("NTAG 424 DNA keys are 16 bytes (AES-128)", nameof(key));
        }

        var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes;
    }

    private static void CheckUid(ReadOnlySpan<byte> uid)
    {
        if (uid.Length != UidBytes)
        {
            throw new ArgumentException("an NTAG 424 DNA UID is 7 bytes", nameof(uid));
        }
    }

    private static void CheckCounter(int counter) => ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)counter, (uint)MaxCounter, nameof(counter));

    private static void CheckBlocks(int length)
    {
        if (length == 0 || length % 16 != 0)
        {
            throw new ArgumentException("SDMENCFileData is whole AES blocks", nameof(length));
        }
    }
}


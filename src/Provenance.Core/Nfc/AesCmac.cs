using System.Security.Cryptography;

namespace Provenance.Core.Nfc;

/// <summary>
/// AES-CMAC (RFC 4493, NIST SP 800-38B) with a 128-bit key: the MAC of NTAG 424 DNA secure messaging, of its SDM
/// session keys and SDMMAC, and the PRF of AN10922 key diversification. Not thread-safe (one AES instance per object);
/// the static <see cref="Compute(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> is.
/// </summary>
public sealed class AesCmac : IDisposable
{
    public const int BlockSize = 16;

    private readonly Aes _aes;
    private readonly byte[] _k1 = new byte[BlockSize];
    private readonly byte[] _k2 = new byte[BlockSize];

    public AesCmac(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("AES-CMAC here takes a 16-byte (AES-128) key", nameof(key));
        }

        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        Span<byte> l = stackalloc byte[BlockSize];
        _aes.EncryptEcb(new byte[BlockSize], l, PaddingMode.None);
        Double(l, _k1);
        Double(_k1, _k2);
    }

    /// <summary>The 16-byte CMAC of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        using var cmac = new AesCmac(key);
        return cmac.Compute(message);
    }

    /// <summary>The 16-byte CMAC of <paramref name="message"/>.</summary>
    public byte[] Compute(ReadOnlySpan<byte> message)
    {
        var blocks = Math.Max(1, (message.Length + BlockSize - 1) / BlockSize);
        var complete = message.Length > 0 && message.Length % BlockSize == 0;
        Span<byte> last = stackalloc byte[BlockSize];
        var tail = message[((blocks - 1) * BlockSize)..];
        tail.CopyTo(last);
        if (!complete)
        {
            last[tail.Length] = 0x80; // 10* padding; the rest is already zero
        }

        Xor(last, complete ? _k1 : _k2);
        return Chain(message[..((blocks - 1) * BlockSize)], last);
    }

    /// <summary>
    /// The CMAC of a message the caller has already padded (10* to whole blocks): the last block is masked with K2,
    /// as RFC 4493 does for a padded message. For AN10922, whose padding differs from RFC 4493's for short inputs.
    /// </summary>
    internal byte[] ComputePadded(ReadOnlySpan<byte> padded)
    {
        if (padded.Length == 0 || padded.Length % BlockSize != 0)
        {
            throw new ArgumentException("a padded message is whole blocks", nameof(padded));
        }

        Span<byte> last = stackalloc byte[BlockSize];
        padded[^BlockSize..].CopyTo(last);
        Xor(last, _k2);
        return Chain(padded[..^BlockSize], last);
    }

    /// <summary>CBC-MAC (zero IV) over <paramref name="head"/>, then the masked last block.</summary>
    private byte[] Chain(ReadOnlySpan<byte> head, Span<byte> maskedLast)
    {
        if (head.Length > 0)
        {
            var cipher = new byte[head.Length];
            _aes.EncryptCbc(head, new byte[BlockSize], cipher, PaddingMode.None);
            Xor(maskedLast, cipher.AsSpan(cipher.Length - BlockSize));
        }

        var mac = new byte[BlockSize];
        _aes.EncryptEcb(maskedLast, mac, PaddingMode.None);
        return mac;
    }

    public void Dispose() => _aes.Dispose();

    /// <summary>Multiplication by x in GF(2^128) (the subkey step of RFC 4493 §2.3).</summary>
    private static void Double(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var carry = 0;
        for (var i = BlockSize - 1; i >= 0; i--)
        {
            var b = input[i];
            output[i] = (byte)((b << 1) | carry);
            carry = b >> 7;
        }

        if ((input[0] & 0x80) != 0)
        {
            output[BlockSize - 1] ^= 0x87;
        }
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> other)
    {
        for (var i = 0; i < BlockSize; i++)
        {
            target[i] ^= other[i];
        }
    }
}

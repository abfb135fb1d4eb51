using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Provenance.Fabric.Tests.Support;

/// <summary>Signature helpers for tests: a deliberately high-S signer, and S extraction.</summary>
internal static class SignatureTestHelpers
{
    public static readonly BigInteger P256Order = new(
        Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"), isUnsigned: true, isBigEndian: true);

    /// <summary>A signer that always returns the high-S twin of a valid DER signature (valid maths, rejected by Fabric).</summary>
    public static Func<byte[], CancellationToken, Task<byte[]>> HighSSigner(ECDsa key) => (digest, _) =>
    {
        var p1363 = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var r = new BigInteger(p1363.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(p1363.AsSpan(32), isUnsigned: true, isBigEndian: true);
        if (s <= P256Order >> 1)
        {
            s = P256Order - s;
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }

        return Task.FromResult(writer.Encode());
    };
}

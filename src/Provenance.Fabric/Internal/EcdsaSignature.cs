using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Provenance.Fabric.Internal;

/// <summary>
/// Converts ECDSA signatures to the only form Fabric accepts: an ASN.1 DER <c>SEQUENCE { r INTEGER, s INTEGER }</c>
/// with a low S value (<c>s &lt;= n/2</c>). .NET signs in IEEE P1363 (<c>r ‖ s</c>) and half of all signatures
/// have a high S, which a peer rejects as "access denied". Stateless and thread-safe.
/// </summary>
internal static class EcdsaSignature
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    private static readonly BigInteger P256Order = ParseHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    private static readonly BigInteger P384Order = ParseHex(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");

    /// <summary>The order n of the key's curve (P-256 or P-384).</summary>
    public static BigInteger CurveOrder(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        return curve.Oid?.Value switch
        {
            P256Oid => P256Order,
            P384Oid => P384Order,
            _ => throw new NotSupportedException(
                $"Unsupported ECDSA curve '{curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "explicit"}': Fabric identities use P-256 or P-384."),
        };
    }

    /// <summary>Converts an IEEE P1363 signature (<c>r ‖ s</c>, fixed width) to low-S DER.</summary>
    public static byte[] P1363ToLowSDer(ReadOnlySpan<byte> p1363, BigInteger curveOrder)
    {
        if (p1363.Length == 0 || p1363.Length % 2 != 0)
        {
            throw new ArgumentException($"An IEEE P1363 signature has an even, non-zero length; got {p1363.Length} bytes.", nameof(p1363));
        }

        var half = p1363.Length / 2;
        var r = new BigInteger(p1363[..half], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(p1363[half..], isUnsigned: true, isBigEndian: true);
        return EncodeDer(r, ToLowS(s, curveOrder));
    }

    /// <summary>Normalises a DER signature to low S (re-encoding it if S was high).</summary>
    public static byte[] NormaliseDer(ReadOnlySpan<byte> der, BigInteger curveOrder)
    {
        var (r, s) = DecodeDer(der);
        return EncodeDer(r, ToLowS(s, curveOrder));
    }

    /// <summary>Whether S is at most n/2.</summary>
    public static bool IsLowS(BigInteger s, BigInteger curveOrder) => s <= curveOrder >> 1;

    /// <summary>Decodes a DER <c>SEQUENCE { r, s }</c>, strictly (no trailing bytes, minimal integers).</summary>
    public static (BigInteger R, BigInteger S) DecodeDer(ReadOnlySpan<byte> der)
    {
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var r = sequence.ReadInteger();
        var s = sequence.ReadInteger();
        sequence.ThrowIfNotEmpty();
        reader.ThrowIfNotEmpty();
        return (r, s);
    }

    private static BigInteger ToLowS(BigInteger s, BigInteger curveOrder) =>
        IsLowS(s, curveOrder) ? s : curveOrder - s;

    private static byte[] EncodeDer(BigInteger r, BigInteger s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }

        return writer.Encode();
    }

    private static BigInteger ParseHex(string hex) =>
        new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
}

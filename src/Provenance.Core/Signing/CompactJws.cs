using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Core.Signing.Internal;

namespace Provenance.Core.Signing;

/// <summary>
/// JWS compact serialisation (RFC 7515) with ES256 (RFC 7518 §3.4): P-256, SHA-256, the signature as the
/// 64-byte big-endian R‖S (IEEE P1363) — not DER. The rule set is strict and shared with the chaincode's verifier
/// (<c>fabric-network/chaincode/src/jws.ts</c>); <c>tests/vectors/jws-vectors.json</c> holds the vectors both run:
/// three non-empty-header parts of canonical base64url (no padding, no whitespace, no stray bits), a flat header
/// of string members <c>alg</c> = ES256, <c>kid</c> = a gateway id and optional <c>typ</c>, nothing else (no
/// <c>crit</c>), no duplicate member, and a 64-byte signature. Stateless and thread-safe.
/// </summary>
public static class CompactJws
{
    /// <summary>The only algorithm this product signs with or accepts.</summary>
    public const string Algorithm = "ES256";

    /// <summary>Signs <paramref name="payload"/> with a P-256 private key; the header carries <c>alg</c> and <c>kid</c>.</summary>
    public static string Sign(ReadOnlySpan<byte> payload, string keyId, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var header = JsonSerializer.SerializeToUtf8Bytes(new JwsHeader(Algorithm, keyId), JwsJsonContext.Default.JwsHeader);
        var signingInput = System.Buffers.Text.Base64Url.EncodeToString(header) + "." + System.Buffers.Text.Base64Url.EncodeToString(payload);
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    /// <summary>Splits and decodes a compact JWS without checking the signature; the error says what is malformed.</summary>
    public static bool TryDecode(string? compact, out JwsToken? token, out string? error) =>
        TryDecode(compact, out token, out _, out error);

    /// <summary>Splits and decodes a compact JWS without checking the signature; <paramref name="failure"/> says which rule it broke.</summary>
    public static bool TryDecode(string? compact, out JwsToken? token, out JwsFailure failure, out string? error)
    {
        token = null;
        failure = JwsFailure.Malformed;
        if (string.IsNullOrEmpty(compact))
        {
            error = "empty JWS";
            return false;
        }

        var first = compact.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : compact.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || compact.IndexOf('.', second + 1) >= 0)
        {
            error = "not a JWS compact serialisation (expected three base64url parts separated by '.')";
            return false;
        }

        if (!StrictBase64Url.TryDecode(compact.AsSpan(0, first), out var headerBytes)
            || !StrictBase64Url.TryDecode(compact.AsSpan(first + 1, second - first - 1), out var payload)
            || !StrictBase64Url.TryDecode(compact.AsSpan(second + 1), out var signature))
        {
            error = "JWS part is not canonical base64url (no padding, whitespace or stray bits)";
            return false;
        }

        failure = JwsHeaderReader.Read(headerBytes, out var kid, out error);
        if (failure != JwsFailure.None)
        {
            return false;
        }

        if (signature.Length != 64)
        {
            failure = JwsFailure.BadSignature;
            error = $"ES256 signature must be 64 bytes (R‖S), got {signature.Length}";
            return false;
        }

        var signingInput = new byte[second];
        Encoding.ASCII.GetBytes(compact.AsSpan(0, second), signingInput);
        token = new JwsToken(kid!, payload, signingInput, signature);
        return true;
    }

    /// <summary>Checks the ES256 signature of a decoded token with a P-256 public key.</summary>
    public static bool Verify(JwsToken token, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.VerifyData(token.SigningInput, token.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Provenance.Core.Signing;

/// <summary>
/// JWS compact serialisation (RFC 7515) with ES256 (RFC 7518 §3.4): P-256, SHA-256, the signature as the
/// 64-byte big-endian R‖S (IEEE P1363) — not DER. Only ES256 is accepted; <c>alg: none</c> and every other
/// algorithm are refused. Stateless and thread-safe.
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
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Splits and decodes a compact JWS without checking the signature; the error says what is malformed.</summary>
    public static bool TryDecode(string? compact, out JwsToken? token, out string? error)
    {
        token = null;
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

        byte[] headerBytes, payload, signature;
        try
        {
            headerBytes = Base64Url.DecodeFromChars(compact.AsSpan(0, first));
            payload = Base64Url.DecodeFromChars(compact.AsSpan(first + 1, second - first - 1));
            signature = Base64Url.DecodeFromChars(compact.AsSpan(second + 1));
        }
        catch (FormatException)
        {
            error = "JWS part is not valid base64url";
            return false;
        }

        JwsHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(headerBytes, JwsJsonContext.Default.JwsHeader);
        }
        catch (JsonException e)
        {
            error = $"JWS header is not valid JSON: {e.Message}";
            return false;
        }

        if (header is null || header.Alg != Algorithm)
        {
            error = $"JWS alg must be {Algorithm}, got '{header?.Alg}'";
            return false;
        }

        if (string.IsNullOrEmpty(header.Kid))
        {
            error = "JWS header has no kid";
            return false;
        }

        if (signature.Length != 64)
        {
            error = $"ES256 signature must be 64 bytes (R‖S), got {signature.Length}";
            return false;
        }

        token = new JwsToken(header.Kid, payload, Encoding.ASCII.GetBytes(compact.AsSpan(0, second).ToString()), signature);
        error = null;
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

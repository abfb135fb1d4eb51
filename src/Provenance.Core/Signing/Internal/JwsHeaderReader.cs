using System.Text.Json;
using System.Text.Unicode;
using Provenance.Core.Gateways;

namespace Provenance.Core.Signing.Internal;

/// <summary>
/// Reads the protected header under the gateway rule set: strict UTF-8 (no byte order mark), one flat JSON object
/// whose members are all strings, no member twice (names compared after unescaping), only <c>alg</c> (ES256),
/// <c>kid</c> (a gateway id) and optionally <c>typ</c> (<c>JOSE</c> or <c>JWT</c>). <c>crit</c>, embedded keys and
/// every other member are refused: this verifier understands no extension, so it must not accept one.
/// </summary>
internal static class JwsHeaderReader
{
    public static JwsFailure Read(ReadOnlySpan<byte> header, out string? kid, out string? error)
    {
        kid = null;
        if (!Utf8.IsValid(header) || header.StartsWith("\uFEFF"u8))
        {
            error = "JWS header is not UTF-8 JSON without a byte order mark";
            return JwsFailure.Malformed;
        }

        Dictionary<string, string> members;
        try
        {
            members = ReadFlatObject(header, out error);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = $"JWS header is not valid JSON: {e.Message}";
            return JwsFailure.Malformed;
        }

        if (error is not null)
        {
            return JwsFailure.Malformed;
        }

        if (!members.TryGetValue("alg", out var alg) || alg != CompactJws.Algorithm)
        {
            error = $"JWS alg must be {CompactJws.Algorithm}, got '{alg}'";
            return JwsFailure.UnsupportedAlgorithm;
        }

        foreach (var name in members.Keys)
        {
            if (name is not ("alg" or "kid" or "typ"))
            {
                error = name == "crit"
                    ? "JWS header has critical extensions (crit) this verifier does not understand"
                    : $"JWS header member '{name}' is not allowed (only alg, kid, typ)";
                return JwsFailure.Malformed;
            }
        }

        if (!members.TryGetValue("kid", out kid) || !Identifier.IsValid(kid))
        {
            error = "JWS header kid must be a gateway id (1–64 characters a–z, 0–9, '-', '_')";
            kid = null;
            return JwsFailure.Malformed;
        }

        if (members.TryGetValue("typ", out var typ) && typ is not ("JOSE" or "JWT"))
        {
            error = $"JWS header typ must be JOSE or JWT when present, got '{typ}'";
            return JwsFailure.Malformed;
        }

        error = null;
        return JwsFailure.None;
    }

    private static Dictionary<string, string> ReadFlatObject(ReadOnlySpan<byte> json, out string? error)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 2 });
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "JWS header is not a JSON object";
            return members;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                error = $"JWS header member '{name}' must be a string";
                return members;
            }

            if (!members.TryAdd(name, reader.GetString()!))
            {
                error = $"JWS header has member '{name}' twice";
                return members;
            }
        }

        // Anything after the object (another value, stray text) makes the reader throw.
        while (reader.Read())
        {
        }

        error = null;
        return members;
    }
}

using System.Text.Json.Serialization;

namespace Provenance.Core.Signing;

internal sealed record JwsHeader(
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string? Kid);

[JsonSerializable(typeof(JwsHeader))]
internal sealed partial class JwsJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>
/// Source-generated JSON for gateway payloads: camelCase names, no reflection on the hot path. Payloads come from
/// outside, so reading is strict where ambiguity could hide something: a null where the protocol wants a value, a
/// member given twice, or nesting deeper than any message needs is a malformed payload. Unknown members are skipped.
/// </summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    MaxDepth = GatewayMessageCodec.MaxJsonDepth)]
[JsonSerializable(typeof(SealMessage))]
[JsonSerializable(typeof(GnssMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(PackMessage))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;

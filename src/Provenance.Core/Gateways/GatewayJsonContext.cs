using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>Source-generated JSON for gateway payloads: camelCase names, no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SealMessage))]
[JsonSerializable(typeof(GnssMessage))]
[JsonSerializable(typeof(StatusMessage))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;

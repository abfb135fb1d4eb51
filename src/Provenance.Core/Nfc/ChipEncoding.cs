using System.Text.Json.Serialization;

namespace Provenance.Core.Nfc;

/// <summary>One chip: its UID and keys 0..4 (hex), with the key version to set (the key id).</summary>
public sealed record ChipEncoding(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("keyVersion")] int KeyVersion)
{
    /// <summary>Never prints key material.</summary>
    public override string ToString() => $"ChipEncoding {{ Uid = {Uid} }}";
}

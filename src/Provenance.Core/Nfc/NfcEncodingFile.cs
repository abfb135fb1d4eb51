using System.Text.Json.Serialization;

namespace Provenance.Core.Nfc;

/// <summary>
/// What an encoding station needs to personalise a reel of NTAG 424 DNA (TagTamper) caps, as one JSON file: the
/// NDEF file to write, the SDM file settings with their offsets, and per chip UID the five diversified application
/// keys. It holds secret keys: written 0600, for the station only. Immutable.
/// </summary>
public sealed record NfcEncodingFile
{
    public const string CurrentFormat = "provenance-nfc-encoding/1";

    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;
    [JsonPropertyName("batchId")] public long BatchId { get; init; }
    [JsonPropertyName("gtin")] public required string Gtin { get; init; }
    [JsonPropertyName("lot")] public string? Lot { get; init; }
    [JsonPropertyName("keyId")] public required int KeyId { get; init; }

    /// <summary>How the chip keys were derived, in words (AN10922 AES-128 and the diversification input).</summary>
    [JsonPropertyName("diversification")] public required string Diversification { get; init; }

    [JsonPropertyName("urlTemplate")] public required string UrlTemplate { get; init; }

    /// <summary>The content of the NDEF file (file 02h), hex: NLEN, one URI record.</summary>
    [JsonPropertyName("ndefFileHex")] public required string NdefFileHex { get; init; }

    [JsonPropertyName("sdm")] public required SdmFileSettings Sdm { get; init; }
    [JsonPropertyName("chips")] public required IReadOnlyList<ChipEncoding> Chips { get; init; }

    /// <summary>The file for <paramref name="uids"/> (7-byte UIDs, upper-case hex) encoded with <paramref name="layout"/>'s key id.</summary>
    public static NfcEncodingFile Create(NfcKeyRing keys, SunUrlLayout layout, long batchId, string gtin, string? lot, IEnumerable<string> uids)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(uids);
        return new NfcEncodingFile
        {
            BatchId = batchId,
            Gtin = gtin,
            Lot = lot,
            KeyId = layout.KeyId,
            Diversification = $"NXP AN10922 AES-128 from master key {layout.KeyId}; M = UID || key number || \"{NfcKeyRing.SystemIdentifierText}\", except key {NfcKeyRing.SdmMetaReadKeyNumber} (SDM meta-read, shared): M = key number || \"{NfcKeyRing.SystemIdentifierText}\"",
            UrlTemplate = layout.UrlTemplate,
            NdefFileHex = Convert.ToHexString([.. layout.NdefFile]),
            Sdm = SdmFileSettings.For(layout),
            Chips = [.. uids.Select(uid => new ChipEncoding(uid, [.. keys.ChipKeys(layout.KeyId, Convert.FromHexString(uid)).InOrder.Select(Convert.ToHexString)], layout.KeyId & 0xFF))],
        };
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NfcEncodingFile))]
public sealed partial class NfcJsonContext : JsonSerializerContext;

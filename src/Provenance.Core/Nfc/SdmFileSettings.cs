using System.Text.Json.Serialization;

namespace Provenance.Core.Nfc;

/// <summary>
/// ChangeFileSettings of the NDEF file (02h) for SUN messages, and the TagTamper mirror: SDM enabled, plain
/// communication, free read; UID and read counter mirrored inside PICCData encrypted with key 1; file data
/// encrypted and SDMMAC computed with key 2; ASCII encoding; all offsets from the start of the file.
/// </summary>
public sealed record SdmFileSettings
{
    [JsonPropertyName("fileNumber")] public int FileNumber { get; init; } = 2;
    [JsonPropertyName("communication")] public string Communication { get; init; } = "plain";
    [JsonPropertyName("readAccess")] public string ReadAccess { get; init; } = "free";
    [JsonPropertyName("writeKey")] public int WriteKey { get; init; }
    [JsonPropertyName("readWriteKey")] public int ReadWriteKey { get; init; }
    [JsonPropertyName("changeKey")] public int ChangeKey { get; init; }
    [JsonPropertyName("uidMirror")] public bool UidMirror { get; init; } = true;
    [JsonPropertyName("readCounterMirror")] public bool ReadCounterMirror { get; init; } = true;
    [JsonPropertyName("encryptedFileData")] public bool EncryptedFileData { get; init; } = true;
    [JsonPropertyName("asciiEncoding")] public bool AsciiEncoding { get; init; } = true;
    [JsonPropertyName("sdmMetaReadKey")] public int SdmMetaReadKey { get; init; } = NfcKeyRing.SdmMetaReadKeyNumber;
    [JsonPropertyName("sdmFileReadKey")] public int SdmFileReadKey { get; init; } = NfcKeyRing.SdmFileReadKeyNumber;
    [JsonPropertyName("sdmCounterRetrievalKey")] public int SdmCounterRetrievalKey { get; init; } = NfcKeyRing.SdmMetaReadKeyNumber;
    [JsonPropertyName("piccDataOffset")] public int PiccDataOffset { get; init; }
    [JsonPropertyName("sdmMacInputOffset")] public int SdmMacInputOffset { get; init; }
    [JsonPropertyName("sdmEncOffset")] public int SdmEncOffset { get; init; }
    [JsonPropertyName("sdmEncLength")] public int SdmEncLength { get; init; }
    [JsonPropertyName("sdmMacOffset")] public int SdmMacOffset { get; init; }

    /// <summary>Where the TagTamper status (two characters) is mirrored: the first two plaintext bytes of the encrypted file data.</summary>
    [JsonPropertyName("tagTamperStatusOffset")] public int TagTamperStatusOffset { get; init; }

    public static SdmFileSettings For(SunUrlLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new SdmFileSettings
        {
            PiccDataOffset = layout.PiccDataOffset,
            SdmMacInputOffset = layout.FileDataOffset,
            SdmEncOffset = layout.FileDataOffset,
            SdmEncLength = SunUrlLayout.FileDataLength,
            SdmMacOffset = layout.MacOffset,
            TagTamperStatusOffset = layout.FileDataOffset,
        };
    }
}

namespace Provenance.Host.Composition;

/// <summary>NFC cap keys, section <c>Nfc</c>.</summary>
public sealed class NfcOptions
{
    public const string Section = "Nfc";

    /// <summary>Optional AES-128 master keys by id (base64, 16 bytes) from a secret store; when empty, <c>nfc-keys.json</c> in the data directory is used (created on first use).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key id new caps are encoded with, when <see cref="Keys"/> is given.</summary>
    public int CurrentKeyId { get; set; } = 1;
}

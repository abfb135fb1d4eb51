using Provenance.Core.Nfc;

namespace Provenance.Host.Composition;

/// <summary>
/// The NFC master keys (AES-128), held like the code MAC keys: from configuration (<c>Nfc:Keys:{id}</c>, a secret
/// store) when given, else from <c>nfc-keys.json</c> in the data directory, created with mode 0600 on first use.
/// Keys never enter the repository or the logs.
/// </summary>
internal static class NfcKeyFile
{
    public const string FileName = "nfc-keys.json";

    public static NfcKeyRing Load(string dataDirectory, NfcOptions options)
    {
        if (options.Keys.Count > 0)
        {
            return new NfcKeyRing(KeyRingFile.Parse(options.Keys), options.CurrentKeyId);
        }

        var (current, keys) = KeyRingFile.LoadOrCreate(Path.Combine(dataDirectory, FileName), NfcKeyRing.NewMasterKey, "caps encoded with it");
        return new NfcKeyRing(keys, current);
    }
}

using System.Security.Cryptography;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The node's own P-256 signing key for the embedded ledger, kept as <c>node-key.pem</c> (PKCS#8, mode 0600) in the
/// data directory and created on first use. Never committed, never logged.
/// </summary>
public static class NodeKey
{
    public const string FileName = "node-key.pem";

    public static ECDsa LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        if (!SecretFile.TryCreate(path, key.ExportPkcs8PrivateKeyPem()))
        {
            // Another process created it first: use that one.
            key.ImportFromPem(File.ReadAllText(path));
        }

        return key;
    }
}

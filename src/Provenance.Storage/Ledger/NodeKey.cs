using System.Security.Cryptography;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The node's own P-256 signing key for the embedded ledger: <c>node-key.pem</c> (PKCS#8, mode 0600) in the data
/// directory, created on first use, or the file <c>Ledger:NodeKeyFile</c> names (a mounted secret, the same in every
/// instance), which must exist. Never committed, never logged.
/// </summary>
public static class NodeKey
{
    public const string FileName = "node-key.pem";

    /// <summary>The setting that names a node key file outside the data directory.</summary>
    public const string FileSetting = "Ledger:NodeKeyFile";

    /// <summary>The configured key file (<see cref="FileSetting"/>) when given, else the data directory's, created when missing.</summary>
    public static ECDsa Load(string? configuredFile, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(configuredFile))
        {
            return LoadOrCreate(dataDirectory);
        }

        if (!File.Exists(configuredFile))
        {
            throw new NodeKeyException(
                $"{FileSetting} names {configuredFile}, which does not exist. Mount the node key there (the same file in every instance), "
                + "or create one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out node-key.pem");
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            key.ImportFromPem(File.ReadAllText(configuredFile));
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new NodeKeyException($"{FileSetting} names {configuredFile}, which holds no P-256 private key in PEM ({e.Message})");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new NodeKeyException($"{FileSetting} names {configuredFile}, whose key is not on P-256");
        }

        return key;
    }

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

using System.Security.Cryptography;

namespace Provenance.FirmwareSim.Cli;

/// <summary>Loads a gateway's P-256 private key from a PEM file (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY").</summary>
public static class KeyFile
{
    /// <summary>Loads the key; throws <see cref="CommandLineException"/> naming <c>--key</c> when it cannot.</summary>
    public static ECDsa Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException("key", $"cannot read '{path}': {e.Message}");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CommandLineException("key", $"'{path}' holds a {key.KeySize}-bit key; gateways sign with P-256 (ES256)");
            }

            _ = key.ExportParameters(includePrivateParameters: true);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CommandLineException("key", $"'{path}' is not a PEM P-256 private key (PKCS#8 or SEC1): {e.Message}");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

using Provenance.Core.Signing;

namespace Provenance.Host.Cli;

/// <summary>The <c>--public-key FILE</c> option of the gateway verbs: a P-256 SPKI PEM, normalised, with its fingerprint.</summary>
internal static class GatewayPublicKeyOption
{
    public const string Name = "public-key";

    public static (string Pem, string Fingerprint) Read(CliArguments args)
    {
        var path = args.Require(Name);
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--{Name} file '{path}' does not exist.");
        }

        try
        {
            using var key = GatewayKeys.ImportPublicKeyPem(File.ReadAllText(path));
            return (GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--{Name}: {e.Message}");
        }
    }
}

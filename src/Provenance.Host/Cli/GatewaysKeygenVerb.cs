using Provenance.Core.Signing;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance gateways keygen</c>: a P-256 key pair for a gateway, written to files.</summary>
internal static class GatewaysKeygenVerb
{
    public static CliVerb Create() => new(
        ["gateways", "keygen"],
        "Create a gateway's P-256 key pair: ID.key.pem (private, mode 0600; install it on the gateway) and ID.pub.pem.",
        [
            new CliOption("id", "Gateway id.", Required: true),
            new CliOption("out", "Directory for the key files.", "."),
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");

        var dir = Path.GetFullPath(args.Get("out")!);
        Directory.CreateDirectory(dir);
        var privatePath = Path.Combine(dir, $"{id}.key.pem");
        var publicPath = Path.Combine(dir, $"{id}.pub.pem");
        if (File.Exists(privatePath))
        {
            args.Error.WriteLine($"provenance gateways keygen: {privatePath} exists; refusing to overwrite a key.");
            return Task.FromResult(1);
        }

        using var key = GatewayKeys.Create();
        if (!SecretFile.TryCreate(privatePath, GatewayKeys.ExportPrivateKeyPem(key)))
        {
            args.Error.WriteLine($"provenance gateways keygen: {privatePath} exists; refusing to overwrite a key.");
            return Task.FromResult(1);
        }

        File.WriteAllText(publicPath, GatewayKeys.ExportPublicKeyPem(key));
        args.Out.WriteLine($"private key: {privatePath}");
        args.Out.WriteLine($"public key:  {publicPath}");
        args.Out.WriteLine($"fingerprint: {GatewayKeys.Fingerprint(key)}");
        return Task.FromResult(0);
    }
}

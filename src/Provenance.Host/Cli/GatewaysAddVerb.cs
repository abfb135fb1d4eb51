using Provenance.Core.Signing;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance gateways add</c>: registers a gateway's site and public key and prints its MQTT credentials.</summary>
internal static class GatewaysAddVerb
{
    public static CliVerb Create() => new(
        ["gateways", "add"],
        "Register a line gateway (site and public key) and print its MQTT credentials (shown once).",
        [
            new CliOption("id", "Gateway id (also its MQTT client id and user name).", Required: true),
            new CliOption("site", "Site id the gateway belongs to.", Required: true),
            new CliOption("public-key", "PEM file with the gateway's P-256 public key (from 'gateways keygen').", Required: true),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");

        var keyPath = args.Require("public-key");
        if (!File.Exists(keyPath))
        {
            throw new CliUsageException($"--public-key file '{keyPath}' does not exist.");
        }

        string pem = File.ReadAllText(keyPath);
        string fingerprint;
        try
        {
            using var key = GatewayKeys.ImportPublicKeyPem(pem);
            pem = GatewayKeys.ExportPublicKeyPem(key);
            fingerprint = GatewayKeys.Fingerprint(key);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--public-key: {e.Message}");
        }

        string secret;
        try
        {
            secret = new RegistryStore(DataOption.Open(args)).AddGateway(id, args.Require("site"), pem, fingerprint);
        }
        catch (RegistryConflictException e)
        {
            Console.Error.WriteLine($"provenance gateways add: {e.Message}");
            return Task.FromResult(1);
        }

        Console.WriteLine($"gateway {id} added (key {fingerprint}). MQTT credentials — store them on the gateway; they are not shown again:");
        Console.WriteLine($"  client id: {id}");
        Console.WriteLine($"  username:  {id}");
        Console.WriteLine($"  password:  {secret}");
        return Task.FromResult(0);
    }
}

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
            new CliOption(GatewayPublicKeyOption.Name, "PEM file with the gateway's P-256 public key (from 'gateways keygen').", Required: true),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");

        var (pem, fingerprint) = GatewayPublicKeyOption.Read(args);

        string secret;
        try
        {
            secret = new RegistryStore(DataOption.Open(args)).AddGateway(id, args.Require("site"), pem, fingerprint);
        }
        catch (RegistryConflictException e)
        {
            args.Error.WriteLine($"provenance gateways add: {e.Message}");
            return Task.FromResult(1);
        }

        args.Out.WriteLine($"gateway {id} added (key {fingerprint}). MQTT credentials — store them on the gateway; they are not shown again:");
        args.Out.WriteLine($"  client id: {id}");
        args.Out.WriteLine($"  username:  {id}");
        args.Out.WriteLine($"  password:  {secret}");
        return Task.FromResult(0);
    }
}

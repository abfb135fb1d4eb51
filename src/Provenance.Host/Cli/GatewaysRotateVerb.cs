using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance gateways rotate</c>: gives a gateway a new signing key, a new MQTT secret, or both.</summary>
internal static class GatewaysRotateVerb
{
    public static CliVerb Create() => new(
        ["gateways", "rotate"],
        "Rotate a line gateway's signing key (--public-key) and/or its MQTT secret (--new-secret, printed once).",
        [
            new CliOption("id", "Gateway id.", Required: true),
            new CliOption(GatewayPublicKeyOption.Name, "PEM file with the gateway's new P-256 public key (from 'gateways keygen')."),
            new CliOption("new-secret", "Issue a new MQTT secret; the old one stops working at once.", IsFlag: true),
            DataOption.Option,
        ],
        Run,
        Details: "After a key rotation, messages signed with the old key are refused as bad_signature (drain the gateway's queue "
            + "first, or accept that its queued messages are dead-lettered); records the old key signed keep verifying. "
            + "The Fabric ledger engine rotates the key on the channel before the gateway's next seals.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");
        var newKey = args.Has(GatewayPublicKeyOption.Name);
        var newSecret = args.Has("new-secret");
        if (!newKey && !newSecret)
        {
            throw new CliUsageException($"give --{GatewayPublicKeyOption.Name} FILE, --new-secret, or both.");
        }

        var key = newKey ? GatewayPublicKeyOption.Read(args) : default;
        var registry = new RegistryStore(DataOption.Open(args));
        try
        {
            if (newKey)
            {
                var rotated = registry.RotateGatewayKey(id, key.Pem, key.Fingerprint);
                args.Out.WriteLine($"gateway {id}: key {rotated.KeyFingerprint} (version {rotated.KeyVersion}) replaces the previous key");
            }

            if (newSecret)
            {
                var secret = registry.RotateGatewaySecret(id);
                args.Out.WriteLine($"gateway {id}: new MQTT password (store it on the gateway; it is not shown again):");
                args.Out.WriteLine($"  password:  {secret}");
            }
        }
        catch (RegistryConflictException e)
        {
            args.Error.WriteLine($"provenance gateways rotate: {e.Message}");
            return Task.FromResult(1);
        }

        return Task.FromResult(0);
    }
}

using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance gateways revoke</c>: refuses a gateway from now on (CONNECT and every message), keeping what it sealed.</summary>
internal static class GatewaysRevokeVerb
{
    public static CliVerb Create() => new(
        ["gateways", "revoke"],
        "Revoke a line gateway: it is refused at CONNECT and its messages are dead-lettered; what it sealed before stays.",
        [
            new CliOption("id", "Gateway id.", Required: true),
            new CliOption("reason", "Why (kept with the gateway, at most 500 characters)."),
            DataOption.Option,
        ],
        Run,
        Details: "Takes effect within 5 seconds in a running 'serve' (a connected gateway is disconnected at its next message). "
            + "A revoked id cannot be used again: register the replacement device under a new id.");

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");
        var gateway = new RegistryStore(DataOption.Open(args)).RevokeGateway(id, args.Get("reason"));
        if (gateway is null)
        {
            args.Error.WriteLine($"provenance gateways revoke: gateway '{id}' is not registered");
            return Task.FromResult(1);
        }

        args.Out.WriteLine($"gateway {id} revoked at {gateway.RevokedAt:O}" + (gateway.RevocationReason is { } reason ? $" ({reason})" : string.Empty));
        return Task.FromResult(0);
    }
}

using Provenance.Api.Security;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance keys create</c>: creates an API key and prints it once (only its keyed hash is stored).</summary>
internal static class KeysCreateVerb
{
    public static CliVerb Create() => new(
        ["keys", "create"],
        "Create an API key (admin, producer or distributor) and print it once; only its keyed hash (HMAC with the server secret) is stored.",
        [
            new CliOption("role", "admin, producer, distributor, sub_distributor or retailer.", Required: true),
            new CliOption("distributor", "The dealer the key speaks for (required with the dealer roles; its level must be the role)."),
            new CliOption("name", "A label for the key."),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var role = args.Require("role");
        if (!ApiRoles.IsValid(role))
        {
            throw new CliUsageException("--role must be admin, producer, distributor, sub_distributor or retailer");
        }

        var distributor = args.Get("distributor");
        if (ApiRoles.IsDealer(role) != (distributor is not null))
        {
            throw new CliUsageException("--distributor (the dealer's id) is required with --role distributor, sub_distributor or retailer, and only then");
        }

        var database = DataOption.Open(args);
        if (distributor is not null && new DistributorStore(database).Find(distributor)?.Level != role)
        {
            args.Error.WriteLine($"provenance keys create: no dealer {distributor} at level {role}");
            return Task.FromResult(1);
        }

        var (id, secret) = new ApiKeyStore(database, DataOption.ServerSecret(args)).Create(role, distributor, args.Get("name"));
        args.Out.WriteLine($"id: {id}");
        args.Out.WriteLine($"role: {role}");
        args.Out.WriteLine($"key: {secret}");
        args.Out.WriteLine("Store the key now: it is not shown again.");
        return Task.FromResult(0);
    }
}

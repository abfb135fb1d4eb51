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
            new CliOption("role", "admin, producer or distributor.", Required: true),
            new CliOption("distributor", "The distributor the key speaks for (required with --role distributor)."),
            new CliOption("name", "A label for the key."),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var role = args.Require("role");
        if (!ApiRoles.IsValid(role))
        {
            throw new CliUsageException("--role must be admin, producer or distributor");
        }

        var distributor = args.Get("distributor");
        if ((role == ApiRoles.Distributor) != (distributor is not null))
        {
            throw new CliUsageException("--distributor is required with --role distributor, and only then");
        }

        var database = DataOption.Open(args);
        if (distributor is not null && new DistributorStore(database).Find(distributor) is null)
        {
            args.Error.WriteLine($"provenance keys create: distributor {distributor} does not exist");
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

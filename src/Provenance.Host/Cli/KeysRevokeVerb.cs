namespace Provenance.Host.Cli;

/// <summary><c>provenance keys revoke</c>: revokes an API key at once (its dashboard sessions end too).</summary>
internal static class KeysRevokeVerb
{
    public static CliVerb Create() => new(
        ["keys", "revoke"],
        "Revoke an API key at once; requests with it get 401 and its dashboard sessions end.",
        [new CliOption("id", "The key's id (key-…), as printed by keys create or keys list.", Required: true), DataOption.Option],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.Require("id");
        var keys = DataOption.ApiKeys(args);
        if (keys.Get(id) is not { } key)
        {
            args.Error.WriteLine($"provenance keys revoke: no key {id} (see provenance keys list)");
            return Task.FromResult(1);
        }

        if (!keys.Revoke(id))
        {
            args.Out.WriteLine($"{id} was already revoked at {key.RevokedAt:O}");
            return Task.FromResult(0);
        }

        args.Out.WriteLine($"revoked: {id} ({key.Role}{(key.DistributorId is null ? string.Empty : " " + key.DistributorId)})");
        return Task.FromResult(0);
    }
}

namespace Provenance.Host.Cli;

/// <summary><c>provenance keys rotate</c>: gives a key a new secret and prints it once; the old secret stops working at once.</summary>
internal static class KeysRotateVerb
{
    public static CliVerb Create() => new(
        ["keys", "rotate"],
        "Give an API key a new secret (same id and role) and print it once; the old secret stops working at once.",
        [new CliOption("id", "The key's id (key-…), as printed by keys create or keys list.", Required: true), DataOption.Option],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.Require("id");
        var keys = DataOption.ApiKeys(args);
        if (keys.Get(id) is not { RevokedAt: null } key || keys.Rotate(id) is not { } secret)
        {
            args.Error.WriteLine($"provenance keys rotate: no live key {id} (revoked keys cannot be rotated; see provenance keys list)");
            return Task.FromResult(1);
        }

        args.Out.WriteLine($"id: {id}");
        args.Out.WriteLine($"role: {key.Role}");
        args.Out.WriteLine($"key: {secret}");
        args.Out.WriteLine("Store the key now: it is not shown again. The previous key no longer works.");
        return Task.FromResult(0);
    }
}

using System.Globalization;

namespace Provenance.Host.Cli;

/// <summary><c>provenance keys list</c>: every API key with its role and state (never a secret).</summary>
internal static class KeysListVerb
{
    public static CliVerb Create() => new(
        ["keys", "list"],
        "List API keys: id, role, distributor, name, created, rotated, revoked (secrets are never stored, so never shown).",
        [DataOption.Option],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        args.Out.WriteLine("id\trole\tdistributor\tname\tcreated\trotated\trevoked");
        foreach (var k in DataOption.ApiKeys(args).List())
        {
            args.Out.WriteLine(string.Join('\t', k.Id, k.Role, k.DistributorId ?? "-", k.Name ?? "-", Time(k.CreatedAt), Time(k.RotatedAt), Time(k.RevokedAt)));
        }

        return Task.FromResult(0);
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>
/// <c>provenance fabric register-gateway</c>: registers a gateway (or every gateway) of the registry on the Fabric
/// channel, rotates its key, moves it or revokes it there, signed by an admin identity — out of band, so that the
/// server itself needs no admin key.
/// </summary>
internal static class FabricRegisterGatewayVerb
{
    public static CliVerb Create() => new(
        ["fabric", "register-gateway"],
        "Bring gateways up to date on the Fabric channel (register, rotate key, move, revoke), signed by an admin identity.",
        [
            new CliOption("id", "The gateway to register or update."),
            new CliOption("all", "Every gateway of the registry instead of one.", IsFlag: true),
            new CliOption("admin-cert", "The admin identity's certificate (PEM); default Ledger:Fabric:AdminCertificatePath."),
            new CliOption("admin-key", "The admin identity's private key (PEM); default Ledger:Fabric:AdminPrivateKeyPath."),
            DataOption.Option,
        ],
        RunAsync,
        Details: "The channel, peer and MSP come from the same configuration as 'serve' (appsettings.json, environment variables such as "
            + "Ledger__Fabric__Endpoint). The admin identity is a certificate with OU=admin (cryptogen's Admin@…) or the attribute "
            + "provenance.role=admin of the producer organisation. Exit code 0 when every gateway is up to date, 1 otherwise.");

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var all = args.Has("all");
        var id = all ? null : args.Get("id") is null ? throw new CliUsageException("give --id GATEWAY or --all.") : args.RequireIdentifier("id");
        var options = new FabricLedgerOptions();
        CliConfiguration.Load().GetSection(FabricLedgerOptions.Section).Bind(options);
        options.AdminCertificatePath = args.Get("admin-cert") ?? options.AdminCertificatePath;
        options.AdminPrivateKeyPath = args.Get("admin-key") ?? options.AdminPrivateKeyPath;
        var problems = Validate(options);
        if (options.AdminCertificatePath is null)
        {
            problems.Add("an admin identity is needed: --admin-cert and --admin-key, or Ledger:Fabric:AdminCertificatePath and AdminPrivateKeyPath.");
        }

        if (problems.Count > 0)
        {
            problems.ForEach(p => args.Error.WriteLine($"provenance fabric register-gateway: {p}"));
            return 1;
        }

        var database = DataOption.Open(args);
        var registry = new RegistryStore(database);
        var gateways = all ? registry.ListGateways() : registry.FindGateway(id!) is { } one ? [one] : [];
        if (gateways.Count == 0)
        {
            args.Error.WriteLine(all ? "provenance fabric register-gateway: the registry has no gateways." : $"provenance fabric register-gateway: no gateway '{id}' in the registry ('gateways add' first).");
            return 1;
        }

        using var connection = FabricConnection.Open(options);
        var registrar = new FabricGatewayRegistrar(
            connection.Contract, connection.AdminContract, new FabricLedgerState(database), registry, options, NullLogger<FabricGatewayRegistrar>.Instance);
        var failed = 0;
        foreach (var gateway in gateways)
        {
            try
            {
                var outcome = await registrar.SyncAsync(gateway, cancellationToken).ConfigureAwait(false);
                args.Out.WriteLine($"{gateway.Id}: {Describe(outcome)} on channel '{options.Channel}' (site {gateway.SiteId}, key {gateway.KeyFingerprint})");
            }
            catch (Exception e) when (e is Fabric.GatewayException or LedgerUnavailableException)
            {
                failed++;
                args.Error.WriteLine($"{gateway.Id}: failed: {FabricFailures.Classify(e, options).Message}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static string Describe(GatewaySyncOutcome outcome) => outcome switch
    {
        GatewaySyncOutcome.Registered => "registered",
        GatewaySyncOutcome.Updated => "updated (key or site)",
        GatewaySyncOutcome.Revoked => "revoked",
        GatewaySyncOutcome.Inactive => "revoked (already)",
        _ => "already up to date",
    };

    private static List<string> Validate(FabricLedgerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        results.AddRange(options.Validate(new ValidationContext(options)));
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty).Distinct()];
    }
}

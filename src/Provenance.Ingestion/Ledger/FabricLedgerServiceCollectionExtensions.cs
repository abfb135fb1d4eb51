using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Fabric;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Ledger;

/// <summary>Registers the <c>fabric</c> ledger engine with a host.</summary>
public static class FabricLedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FabricLedgerOptions"/> (section <c>Ledger:Fabric</c>, validated at start), the
    /// <see cref="FabricConnection"/> (channel, identities, gateways), <see cref="FabricLedgerState"/>, the
    /// <see cref="FabricProofSource"/> for proof bundles, the
    /// <see cref="FabricGatewayRegistrar"/>, the <see cref="FabricLedgerEngine"/> as the <see cref="ILedgerEngine"/>, and
    /// the <see cref="FabricGatewaySync"/> hosted service. Needs <see cref="ProvenanceDatabase"/> and
    /// <see cref="RegistryStore"/> registered. Register it instead of the embedded engine's <see cref="ILedgerEngine"/>.
    /// </summary>
    public static IServiceCollection AddFabricLedger(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FabricLedgerOptions>().Bind(configuration.GetSection(FabricLedgerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FabricLedgerOptions>>().Value);
        services.AddSingleton(sp => FabricConnection.Open(sp.GetRequiredService<FabricLedgerOptions>()));
        services.AddSingleton<FabricLedgerState>();
        if (configuration.GetSection(FabricLedgerOptions.Section)[nameof(FabricLedgerOptions.MspPath)] is not null)
        {
            services.AddSingleton(sp => MspTrust.Load(sp.GetRequiredService<FabricLedgerOptions>().MspPath!));
        }
        services.AddSingleton<Core.Proofs.IFabricProofSource>(sp => new FabricProofSource(sp.GetRequiredService<FabricConnection>().Contract.Network));
        services.AddSingleton(sp => new FabricGatewayRegistrar(
            sp.GetRequiredService<FabricConnection>().Contract,
            sp.GetRequiredService<FabricConnection>().AdminContract,
            sp.GetRequiredService<FabricLedgerState>(),
            sp.GetRequiredService<RegistryStore>(),
            sp.GetRequiredService<FabricLedgerOptions>(),
            sp.GetRequiredService<ILogger<FabricGatewayRegistrar>>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new FabricLedgerEngine(
            sp.GetRequiredService<FabricConnection>().Contract,
            sp.GetRequiredService<FabricLedgerState>(),
            sp.GetRequiredService<FabricGatewayRegistrar>(),
            sp.GetRequiredService<FabricLedgerOptions>(),
            sp.GetRequiredService<ILogger<FabricLedgerEngine>>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<ILedgerEngine>(sp => sp.GetRequiredService<FabricLedgerEngine>());
        services.AddSingleton(sp => new FabricGatewaySync(
            sp.GetRequiredService<FabricGatewayRegistrar>(),
            sp.GetRequiredService<FabricLedgerOptions>(),
            sp.GetRequiredService<ILogger<FabricGatewaySync>>(),
            sp.GetService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<FabricGatewaySync>());
        return services;
    }
}

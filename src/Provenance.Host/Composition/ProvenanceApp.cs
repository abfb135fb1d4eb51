using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Provenance.Api;
using Provenance.Api.Alerts;
using Provenance.Api.Analytics;
using Provenance.Api.Distribution;
using Provenance.Api.Epcis;
using Provenance.Api.Http;
using Provenance.Api.Pages;
using Provenance.Api.Producer;
using Provenance.Api.Proofs;
using Provenance.Api.Security;
using Provenance.Host.Cli;
using Provenance.Host.Composition.Settings;
using Provenance.Api.InnerCodes;
using Provenance.Api.Rewards;
using Provenance.Api.Nfc;
using Provenance.Api.Packaging;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// Composes the product in one process: SQLite state, the embedded MQTT broker, ingestion, the ledger sink and the scan
/// API (<see cref="ProvenanceServices"/>). Each embedded part is replaced through configuration
/// (<see cref="ProvenanceConfiguration"/>), and <c>Provenance:Roles</c> (<see cref="NodeRoles"/>) selects what runs.
/// </summary>
internal static class ProvenanceApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string InfluxSection = Provenance.Ingestion.TimeSeries.InfluxOptions.Section;

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Build(args, overrides is null ? null : _ => overrides);

    /// <summary>
    /// Builds the host; <paramref name="overrides"/> sees the configuration read so far and returns settings that win over
    /// it; <paramref name="extraServices"/> adds services a verb needs (after the product's own).
    /// </summary>
    public static WebApplication Build(string[] args, Func<IConfiguration, IReadOnlyDictionary<string, string?>>? overrides, Action<IServiceCollection>? extraServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ProvenanceConfiguration.AddProvenanceSources(builder.Configuration, args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides(builder.Configuration));
        }

        builder.WebHost.UseUrls(ListenUrls(builder.Configuration));
        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        builder.Services.AddConsoleLogFormat(builder.Configuration);
        builder.Logging.AddStartupLogFilter();
        var roles = builder.Services.AddProvenanceServices(builder.Configuration);
        extraServices?.Invoke(builder.Services);
        AddDataProtection(builder.Services, builder.Configuration);
        GateTransport(builder.Services);
        var app = builder.Build();
        UnknownSettingReport.Log(app.Configuration, UnknownSettingFinder.BoundSections(builder.Services), app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Provenance.Configuration"));
        MapEndpoints(app, roles);
        return app;
    }

    /// <summary>The public address(es) (<c>urls</c>) and, unless turned off, the management listener (<c>Management:Url</c>).</summary>
    private static string ListenUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured : DefaultUrl;
        var management = configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        return string.IsNullOrWhiteSpace(management.Url) || ManagementOptions.Parse(management.Url) is null ? urls : $"{urls};{management.Url}";
    }

    /// <summary>
    /// Kestrel's limits from <c>HttpLimits</c>, and the connection gate on every listener. Kestrel is configured when the
    /// app is built, before settings are validated: values that do not validate are left for the start-up check to
    /// report with its message.
    /// </summary>
    private static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        var services = kestrel.ApplicationServices;
        var limits = services.GetRequiredService<IConfiguration>().GetSection(HttpLimitsOptions.Section).Get<HttpLimitsOptions>() ?? new HttpLimitsOptions();
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestHeaderCount = 64;
        kestrel.Limits.Http2.MaxStreamsPerConnection = 32;
        if (System.ComponentModel.DataAnnotations.Validator.TryValidateObject(limits, new System.ComponentModel.DataAnnotations.ValidationContext(limits), null, validateAllProperties: true))
        {
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        }

        kestrel.ConfigureEndpointDefaults(listen => ConnectionGate.Apply(listen, services.GetRequiredService<ConnectionGate>));
    }

    /// <summary>Puts the connection gate into Kestrel's accept loop: every socket listener factory is wrapped.</summary>
    private static void GateTransport(IServiceCollection services)
    {
        var transports = services.Where(d => d.ServiceType == typeof(IConnectionListenerFactory)).ToList();
        if (transports.Count == 0)
        {
            throw new InvalidOperationException("Kestrel's socket transport is not registered; the connection gate cannot be put in front of it");
        }

        foreach (var transport in transports)
        {
            services.Remove(transport);
            services.AddSingleton<IConnectionListenerFactory>(sp => new GatedConnectionListenerFactory(
                (IConnectionListenerFactory)(transport.ImplementationInstance ?? transport.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, transport.ImplementationType!)),
                sp.GetRequiredService<ConnectionGate>));
        }
    }

    /// <summary>
    /// Antiforgery tokens need data-protection keys that survive restarts and are the same in every instance: kept in the
    /// database (<see cref="DatabaseKeyRepository"/>), encrypted with the server secret.
    /// </summary>
    private static void AddDataProtection(IServiceCollection services, IConfiguration configuration)
    {
        var legacyDirectory = Path.Combine(Path.GetFullPath(configuration[$"{ProvenanceOptions.Section}:DataDirectory"] ?? "./data"), "data-protection-keys");
        services.AddDataProtection().SetApplicationName("provenance");
        services.AddSingleton(sp => new DataProtectionKeyStore(sp.GetRequiredService<ProvenanceDatabase>()));
        services.AddOptions<KeyManagementOptions>().Configure<ServerSecret, DataProtectionKeyStore, ILoggerFactory>((o, secret, store, logs) =>
        {
            o.XmlEncryptor = new DataProtectionKeyEncryptor(secret);
            o.XmlRepository = new DatabaseKeyRepository(store, legacyDirectory, logs.CreateLogger<DatabaseKeyRepository>());
        });
    }

    private static void MapEndpoints(WebApplication app, NodeRoles roles)
    {
        app.UseProvenanceApi();
        if (roles.HasFlag(NodeRoles.Api))
        {
            app.MapProofApi();
            app.MapScanApi();
            app.MapNfcApi();
            app.MapInnerCodeApi();
            app.MapRedeemApi();
            app.MapCampaignsApi();
            app.MapDistributorsApi();
            app.MapShipmentsApi();
            app.MapContainersApi();
            app.MapContainerScanApi();
            app.MapReceiptsApi();
            app.MapTagOwnerApi();
            app.MapDealersApi();
            app.MapCustodyApi();
            app.MapCaseOpeningsApi();
            app.MapTagEventsApi();
            app.MapProducerApi();
            app.MapGatewaysApi();
            app.MapGatewayTwinApi();
            app.MapAlertsApi();
            app.MapAnalyticsApi();
            app.MapEpcisQueryApi();
            app.MapEpcisCaptureApi();
            app.MapKeysApi();
            app.MapProvenancePages();
        }

        app.MapHealthApi();
        app.MapMetricsApi();
    }

    public static string DataDirectory(IServiceProvider services) =>
        Path.GetFullPath(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProvenanceOptions>>().Value.DataDirectory);
}

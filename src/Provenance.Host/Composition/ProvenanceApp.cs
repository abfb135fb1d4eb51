using Microsoft.Extensions.Options;
using Provenance.Api;
using Provenance.Api.Alerts;
using Provenance.Api.Distribution;
using Provenance.Api.Pages;
using Provenance.Api.Producer;
using Provenance.Core.Codes;
using Provenance.Core.Origin;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Sinks;
using Provenance.Ingestion.TimeSeries;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>
/// Composes the whole product in one process: SQLite state, the embedded MQTT broker, ingestion, the ledger sink
/// and the scan API. Each embedded part is replaced through configuration.
/// </summary>
internal static class ProvenanceApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string InfluxSection = "Influx";

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables("PROVENANCE_");
        builder.Configuration.AddCommandLine(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
        });
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProvenanceOptions>().Bind(configuration.GetSection(ProvenanceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CodeOptions>().Bind(configuration.GetSection(CodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmbeddedBrokerOptions>().Bind(configuration.GetSection(EmbeddedBrokerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.Address, out _), "Broker:Address must be an IP address such as 127.0.0.1").ValidateOnStart();
        services.AddOptions<AttestationPolicy>().Bind(configuration.GetSection("Attestation"))
            .Validate(p => p.MaxFixAge > TimeSpan.Zero && p.MaxHdop > 0 && p.MinSatellitesUsed >= 0 && p.History >= 2, "Attestation: MaxFixAge, MaxHdop must be positive, History at least 2").ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IngestionOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmbeddedBrokerOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AttestationPolicy>>().Value);
        services.AddSingleton(sp => ProvenanceDatabase.Open(DataDirectory(sp)));
        services.AddSingleton<RegistryStore>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<SealStore>();
        services.AddSingleton<ScanStore>();
        services.AddSingleton<JournalStore>();
        services.AddSingleton<DeadLetterStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<DistributorStore>();
        services.AddSingleton<ShipmentStore>();
        services.AddSingleton<TagEventStore>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<IngestionWriter>();
        services.AddSingleton(sp => CodeKeyFile.Load(DataDirectory(sp), sp.GetRequiredService<IOptions<CodeOptions>>().Value));
        services.AddSingleton<CodeAuthenticator>();
        services.AddSingleton(sp => new EmbeddedLedger(sp.GetRequiredService<ProvenanceDatabase>(), NodeKey.LoadOrCreate(DataDirectory(sp))));
        if (string.Equals(configuration[FabricLedgerOptions.EngineKey], "fabric", StringComparison.OrdinalIgnoreCase))
        {
            services.AddFabricLedger(configuration);
        }
        else
        {
            services.AddSingleton<ILedgerEngine>(sp => sp.GetRequiredService<EmbeddedLedger>());
        }

        services.AddMetrics();
        services.AddSingleton<IngestionMetrics>();
        services.AddSingleton(sp => new LedgerStatus(
            sp.GetRequiredService<ILedgerEngine>().Name,
            sp.GetRequiredService<IngestionMetrics>().Meter,
            sp.GetService<IOptions<FabricLedgerOptions>>()?.Value.StallTimeout ?? TimeSpan.FromMinutes(2),
            sp.GetRequiredService<TimeProvider>()));
        services.AddMetricsApi();
        services.AddSingleton<GatewayMessageProcessor>();
        services.AddSingleton<IngestionPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionPipeline>());
        services.AddSingleton<LedgerSink>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerSink>());
        if (configuration.GetValue($"{EmbeddedBrokerOptions.Section}:Embedded", true))
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        else
        {
            services.AddOptions<ExternalBrokerOptions>().Bind(configuration.GetSection(ExternalBrokerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExternalBrokerOptions>>().Value);
            services.AddSingleton<MqttSubscriber>();
            services.AddHostedService(sp => sp.GetRequiredService<MqttSubscriber>());
        }

        if (!string.IsNullOrEmpty(configuration[$"{InfluxSection}:Url"]))
        {
            services.AddOptions<InfluxOptions>().Bind(configuration.GetSection(InfluxSection)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<InfluxOptions>>().Value);
            services.AddSingleton(sp => new TimeSeriesSink(
                sp.GetRequiredService<JournalStore>(), sp.GetRequiredService<IngestionWriter>(), sp.GetRequiredService<InfluxOptions>(),
                sp.GetRequiredService<IngestionMetrics>(), sp.GetRequiredService<ILogger<TimeSeriesSink>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService(sp => sp.GetRequiredService<TimeSeriesSink>());
        }

        services.AddSingleton<ScanRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ScanRecorder>());
        services.AddSingleton<ScanService>();
        services.AddSingleton<TagIssuer>();
        services.AddProvenanceApi(configuration);
        services.AddProvenancePages();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseProvenanceApi();
        app.MapScanApi();
        app.MapDistributorsApi();
        app.MapShipmentsApi();
        app.MapReceiptsApi();
        app.MapTagEventsApi();
        app.MapProducerApi();
        app.MapAlertsApi();
        app.MapHealthApi();
        app.MapProvenancePages();
        app.MapMetricsApi();
    }

    public static string DataDirectory(IServiceProvider services) =>
        Path.GetFullPath(services.GetRequiredService<IOptions<ProvenanceOptions>>().Value.DataDirectory);
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Api.InnerCodes;
using Provenance.Api.Nfc;
using Provenance.Core.Nfc;
using Microsoft.Extensions.Options;
using Provenance.Api;
using Provenance.Api.Rewards;
using Provenance.Api.Epcis;
using Provenance.Api.Pages;
using Provenance.Api.Producer;
using Provenance.Api.Proofs;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Origin;
using Provenance.Host.Composition.Readiness;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.EventHubs;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Sinks;
using Provenance.Ingestion.TimeSeries;
using Provenance.Core.Twins;
using Provenance.Storage;
using Provenance.Storage.Epcis;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;
using Provenance.Storage.Proofs;

namespace Provenance.Host.Composition;

/// <summary>
/// The services of one process. Every store and engine is registered; what runs (hosted services) follows
/// <c>Provenance:Roles</c>: the broker or the broker subscription, the IoT Hub (Event Hubs) source when <c>EventHubs:ConnectionString</c> is set, and the ingestion pipeline for <c>ingestion</c>, the
/// journal sinks for <c>sinks</c>, the scan recorder for <c>api</c> — so an API replica never consumes the broker's
/// subscription and a sink runs only where it is meant to.
/// </summary>
internal static class ProvenanceServices
{
    public static NodeRoles AddProvenanceServices(this IServiceCollection services, IConfiguration configuration)
    {
        var roles = NodeRoleList.From(configuration);
        var embeddedBroker = configuration.GetValue($"{EmbeddedBrokerOptions.Section}:Embedded", true);
        var timeSeries = !string.IsNullOrEmpty(configuration[$"{ProvenanceApp.InfluxSection}:Url"]);

        services.AddOptions<ProvenanceOptions>().Bind(configuration.GetSection(ProvenanceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CodeOptions>().Bind(configuration.GetSection(CodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CodeOptions>, CodeOptionsValidator>();
        services.AddOptions<NfcOptions>().Bind(configuration.GetSection(NfcOptions.Section))
            .Validate(o => o.Keys.Count == 0 || NfcKeysAreValid(o), "Nfc:Keys must be base64 AES-128 keys (16 bytes) by numeric id, and Nfc:CurrentKeyId one of them").ValidateOnStart();
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmbeddedBrokerOptions>().Bind(configuration.GetSection(EmbeddedBrokerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.Address, out _), "Broker:Address must be an IP address such as 127.0.0.1")
            .Validate(o => o.Plaintext || o.Tls.Enabled, "Broker:Plaintext is false and Broker:Tls:Enabled is not true: the broker would listen nowhere")
            .Validate(o => !o.Tls.Enabled || File.Exists(o.Tls.CertificatePath), "Broker:Tls:CertificatePath must name the server certificate file (PEM or PKCS#12) when Broker:Tls:Enabled is true")
            .Validate(o => o.Tls.Port is >= 0 and <= 65535, "Broker:Tls:Port must be 0-65535")
            .Validate(o => string.IsNullOrEmpty(o.Tls.ClientCaPath) || File.Exists(o.Tls.ClientCaPath), "Broker:Tls:ClientCaPath names a file that does not exist")
            .Validate(o => !o.Tls.RequireClientCertificate || !string.IsNullOrEmpty(o.Tls.ClientCaPath), "Broker:Tls:RequireClientCertificate needs Broker:Tls:ClientCaPath (the CA that issues gateway certificates)")
            .Validate<IOptions<IngestionOptions>>((o, ingestion) => o.MaxPacketBytes > ingestion.Value.MaxPayloadBytes, "Broker:MaxPacketBytes must be larger than Ingestion:MaxPayloadBytes, so that a payload a little too large is dead-lettered as 'oversized'")
            .ValidateOnStart();
        services.AddOptions<DeadLetterQuota>().Bind(configuration.GetSection(DeadLetterQuota.Section)).ValidateDataAnnotations()
            .Validate(q => q.MaxBytesPerGateway <= q.MaxTotalBytes, "DeadLetters:MaxBytesPerGateway must not exceed DeadLetters:MaxTotalBytes").ValidateOnStart();
        services.AddOptions<AttestationPolicy>().Bind(configuration.GetSection(AttestationPolicy.Section))
            .Validate(p => p.MaxFixAge > TimeSpan.Zero && p.MaxHdop > 0 && p.MinSatellitesUsed >= 0 && p.History >= 2, "Attestation: MaxFixAge, MaxHdop must be positive, History at least 2").ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IngestionOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmbeddedBrokerOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AttestationPolicy>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeadLetterQuota>>().Value);
        services.AddSingleton(sp => DatabaseOpener.Open(configuration, ProvenanceApp.DataDirectory(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Leadership>();
        services.AddSingleton<TagChangeRelay>();
        services.AddHostedService<TagChangeRelayService>();
        services.AddSingleton<RegistryStore>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<SealStore>();
        services.AddSingleton<ProofEvidenceStore>();
        services.AddSingleton<ProofBundleBuilder>();
        services.AddSingleton<ScanStore>();
        services.AddSingleton<BottleFactsStore>();
        services.AddSingleton<ScanAnalyticsStore>();
        services.AddSingleton<JournalStore>();
        services.AddSingleton<DeadLetterStore>();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => ServerSecret.Load(ProvenanceApp.DataDirectory(sp), sp.GetRequiredService<IOptions<SecurityOptions>>().Value.ServerSecret));
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<DeviceKeyStore>();
        services.AddSingleton<DeviceTwinStore>();
        services.AddSingleton<DeviceCertificateStore>();
        services.AddSingleton<DashboardSessionStore>();
        services.AddSingleton<DistributorStore>();
        services.AddSingleton<ShipmentStore>();
        services.AddSingleton<CustodyStore>();
        services.AddSingleton<CaseRebateStore>();
        services.AddSingleton<DiversionEvidenceStore>();
        services.AddSingleton<Provenance.Storage.Packaging.ContainerStore>();
        services.AddSingleton<TagEventStore>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<IngestionWriter>();
        services.AddSingleton(sp => CodeKeyFile.Load(ProvenanceApp.DataDirectory(sp), sp.GetRequiredService<IOptions<CodeOptions>>().Value));
        services.AddSingleton<CodeAuthenticator>();
        services.AddSingleton<InnerCodeAuthenticator>();
        services.AddSingleton<InnerOpeningStore>();
        services.AddSingleton<Provenance.Storage.Rewards.CampaignStore>();
        services.AddSingleton<Provenance.Storage.Rewards.RedemptionStore>();
        services.AddSingleton(sp => NfcKeyFile.Load(ProvenanceApp.DataDirectory(sp), sp.GetRequiredService<IOptions<NfcOptions>>().Value));
        services.AddSingleton<SunVerifier>();
        services.AddSingleton<NfcTapStore>();
        services.AddSingleton(sp =>
        {
            var ledger = new EmbeddedLedger(sp.GetRequiredService<ProvenanceDatabase>(), NodeKey.Load(configuration[NodeKey.FileSetting], ProvenanceApp.DataDirectory(sp)));
            ledger.UpgradeLegacyEntries();
            return ledger;
        });
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
        services.AddMetricsApi(configuration);
        services.AddSingleton(sp => new CounterStore(sp.GetRequiredService<ProvenanceDatabase>(), CounterInstance(configuration, embeddedBroker)));
        services.AddSingleton<GatewayMessageProcessor>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<LedgerSink>();
        if (roles.HasFlag(NodeRoles.Ingestion))
        {
            services.AddHostedService(sp => sp.GetRequiredService<IngestionPipeline>());
            services.AddHostedService<CounterCheckpoint>();
            AddBroker(services, configuration, embeddedBroker);
            if (services.AddEventHubsSource(configuration))
            {
                services.AddHealthChecks().Add(new HealthCheckRegistration(
                    "eventhubs", sp => new EventHubsSourceHealthCheck(sp.GetRequiredService<EventHubsSource>()), HealthStatus.Unhealthy, [ReadinessRegistration.Tag]));
            }
        }

        if (roles.HasFlag(NodeRoles.Sinks))
        {
            services.AddSingleton<IHostedService>(sp => new LeaderElectedService($"sink:{EmbeddedLedger.SinkName}", sp.GetRequiredService<LedgerSink>(), sp.GetRequiredService<Leadership>()));
        }

        if (timeSeries)
        {
            services.AddOptions<InfluxOptions>().Bind(configuration.GetSection(ProvenanceApp.InfluxSection)).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<InfluxOptions>>().Value);
            services.AddSingleton(sp => new TimeSeriesSink(
                sp.GetRequiredService<JournalStore>(), sp.GetRequiredService<IngestionWriter>(), sp.GetRequiredService<InfluxOptions>(),
                sp.GetRequiredService<IngestionMetrics>(), sp.GetRequiredService<ILogger<TimeSeriesSink>>(), sp.GetRequiredService<TimeProvider>()));
            if (roles.HasFlag(NodeRoles.Sinks))
            {
                services.AddSingleton<IHostedService>(sp => new LeaderElectedService($"sink:{TimeSeriesSink.SinkName}", sp.GetRequiredService<TimeSeriesSink>(), sp.GetRequiredService<Leadership>()));
            }
        }

        AddEpcis(services, configuration, roles);
        services.AddSingleton<ScanRecorder>();
        if (roles.HasFlag(NodeRoles.Api))
        {
            services.AddHostedService(sp => sp.GetRequiredService<ScanRecorder>());
            services.AddHostedService<ReadReplicaProbe>();
        }

        services.AddSingleton(sp => new ReadReplica(sp.GetRequiredService<ProvenanceDatabase>(), sp.GetRequiredService<TimeProvider>(), StorageOptions.From(configuration).ReplicaMaxLag));
        services.AddSingleton<BottleReadModel>();
        services.AddSingleton<ScanService>();
        services.AddSingleton<NfcScanService>();
        services.AddSingleton<InnerCodeScanService>();
        services.AddSingleton<Provenance.Api.Distribution.RefillCheck>();
        services.AddSingleton<Provenance.Api.Distribution.DealerTree>();
        services.AddSingleton<Provenance.Api.Distribution.CustodyScorer>();
        services.AddSingleton<Provenance.Api.Distribution.ConsumerDiversion>();
        services.AddSingleton<TagIssuer>();
        // Origin alerts and webhooks, like payouts, belong to the api role: an ingestion process never wins their election.
        services.AddProvenanceApi(configuration, runAlertsAndWebhooks: roles.HasFlag(NodeRoles.Api));
        // Payouts are dispatched by one API instance at a time (the others stand by), not by every replica.
        services.AddProvenanceRewards(configuration, dispatchPayouts: false);
        if (roles.HasFlag(NodeRoles.Api))
        {
            services.AddSingleton<IHostedService>(sp => new LeaderElectedService("dispatch:payouts", sp.GetRequiredService<PayoutDispatcher>(), sp.GetRequiredService<Leadership>()));
        }
        services.AddProvenancePages();
        services.AddReadiness(configuration, roles, externalBroker: !embeddedBroker, timeSeries);
        return roles;
    }

    /// <summary>EPCIS 2.0: the event store, capture, lifecycle events, and the projector of seals into events (a journal sink).</summary>
    private static void AddEpcis(IServiceCollection services, IConfiguration configuration, NodeRoles roles)
    {
        services.AddOptions<EpcisOptions>().Bind(configuration.GetSection(EpcisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EpcisEventStore>();
        services.AddSingleton<EpcisCaptureWriter>();
        services.AddSingleton(sp => new LifecycleEvents(
            new EpcisNames(sp.GetRequiredService<IOptions<CodeOptions>>().Value.Domain, sp.GetRequiredService<IOptions<CodeOptions>>().Value.Scheme),
            sp.GetRequiredService<IOptions<EpcisOptions>>().Value.TimeZoneOffset));
        services.AddSingleton(sp =>
        {
            var projector = new EpcisSealProjector(sp.GetRequiredService<JournalStore>(), sp.GetRequiredService<EpcisEventStore>(), sp.GetRequiredService<LifecycleEvents>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EpcisSealProjector>>());
            sp.GetRequiredService<IngestionPipeline>().Committed += outcome =>
            {
                if (outcome.SealsStored > 0 || outcome.PacksStored > 0)
                {
                    projector.Wake();
                }
            };
            return projector;
        });
        if (roles.HasFlag(NodeRoles.Sinks))
        {
            services.AddSingleton<IHostedService>(sp => new LeaderElectedService("sink:epcis", sp.GetRequiredService<EpcisSealProjector>(), sp.GetRequiredService<Leadership>()));
        }
    }

    /// <summary>
    /// Whose totals a process checkpoints: its MQTT user (unique per ingestion instance: the broker binds sessions to
    /// users), else its client id, else the host name — several instances may share one database.
    /// </summary>
    private static string CounterInstance(IConfiguration configuration, bool embeddedBroker) =>
        (embeddedBroker ? null : configuration[$"{ExternalBrokerOptions.Section}:Username"] is { Length: > 0 } user ? user
            : configuration[$"{ExternalBrokerOptions.Section}:ClientId"] is { Length: > 0 } id ? id : null)
        ?? Environment.MachineName.ToLowerInvariant();

    private static void AddBroker(IServiceCollection services, IConfiguration configuration, bool embedded)
    {
        if (embedded)
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddSingleton<IDeviceChannel>(sp => sp.GetRequiredService<EmbeddedBroker>());
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
            return;
        }

        services.AddOptions<ExternalBrokerOptions>().Bind(configuration.GetSection(ExternalBrokerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.CaFile) || File.Exists(o.CaFile), "Mqtt:CaFile does not exist: give the path of the CA certificate that signed the broker's certificate")
            .Validate(o => string.IsNullOrEmpty(o.CaFile) || o.UseTls, "Mqtt:CaFile is set but Mqtt:UseTls is false: set Mqtt:UseTls=true (and the broker's TLS port in Mqtt:Port)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExternalBrokerOptions>>().Value);
        services.AddSingleton<MqttSubscriber>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttSubscriber>());
    }

    private static bool NfcKeysAreValid(NfcOptions options)
    {
        try
        {
            _ = new Core.Nfc.NfcKeyRing(KeyRingFile.Parse(options.Keys), options.CurrentKeyId);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}

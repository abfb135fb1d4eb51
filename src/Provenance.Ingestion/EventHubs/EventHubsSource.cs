using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Core.Resilience;
using Provenance.Ingestion.EventHubs.Internal;
using Provenance.Ingestion.Internal;
using Provenance.Storage;

namespace Provenance.Ingestion.EventHubs;

/// <summary>
/// Feeds ingestion from an Azure IoT Hub whose gateways already send to it: reads every partition of the hub's
/// built-in Event Hub-compatible endpoint (Azure.Messaging.EventHubs) and submits each event to the same
/// <see cref="IngestionPipeline"/> as MQTT messages — verified against the gateway registered under the device id
/// IoT Hub authenticated, attested, committed, dead-lettered when refused. Checkpoints live in our own database and
/// are committed in the same transaction as the events they cover (see <see cref="PartitionReader"/>), so a crash at
/// any point neither loses nor repeats an event. One node should run this source per hub and consumer group.
/// Thread-safe.
/// </summary>
public sealed partial class EventHubsSource : BackgroundService
{
    private readonly EventHubsSourceOptions _options;
    private readonly IngestionPipeline _pipeline;
    private readonly GatewayDirectory _gateways;
    private readonly SourceCheckpointStore _checkpoints;
    private readonly TimeProvider _time;
    private readonly ILogger<EventHubsSource> _logger;
    private volatile IReadOnlyList<PartitionReader> _readers = [];
    private volatile string? _discoveryProblem = "not connected yet";
    private volatile bool _discoveryProblemPermanent;

    public EventHubsSource(EventHubsSourceOptions options, IngestionPipeline pipeline, RegistryStore registry, SourceCheckpointStore checkpoints, TimeProvider time, ILogger<EventHubsSource> logger)
    {
        _options = options;
        _pipeline = pipeline;
        _gateways = new GatewayDirectory(registry, time);
        _checkpoints = checkpoints;
        _time = time;
        _logger = logger;
        var properties = EventHubsConnectionStringProperties.Parse(options.ConnectionString);
        EventHubName = properties.EventHubName ?? options.EventHubName ?? string.Empty;
        SourceName = $"eventhubs:{properties.FullyQualifiedNamespace}/{EventHubName}/{options.ConsumerGroup}";
    }

    /// <summary>The Event Hub-compatible name of the hub.</summary>
    public string EventHubName { get; }

    /// <summary>The name our checkpoints are stored under: <c>eventhubs:{namespace}/{event hub}/{consumer group}</c>.</summary>
    public string SourceName { get; }

    /// <summary>Each partition's reader state; empty until the partitions are known.</summary>
    public IReadOnlyList<PartitionState> Partitions => [.. _readers.Select(r => r.State)];

    /// <summary>Why the partitions are not known yet (null once they are), and whether retrying can cure it.</summary>
    public (string? Problem, bool Permanent) Discovery => (_discoveryProblem, _discoveryProblemPermanent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionOptions = new EventHubConnectionOptions
        {
            CertificateValidationCallback = TrustedCertificateValidation.FromPemFile(_options.TrustedCaPath),
        };
        if (!string.IsNullOrEmpty(_options.CustomEndpointAddress))
        {
            connectionOptions.CustomEndpointAddress = new Uri(_options.CustomEndpointAddress);
        }

        var connection = string.IsNullOrEmpty(_options.EventHubName)
            ? new EventHubConnection(_options.ConnectionString, connectionOptions)
            : new EventHubConnection(_options.ConnectionString, _options.EventHubName, connectionOptions);
        await using (connection.ConfigureAwait(false))
        {
            var partitions = await DiscoverAsync(connection, stoppingToken).ConfigureAwait(false);
            if (partitions is null)
            {
                return;
            }

            var mapper = new IotHubEventMapper(_gateways, SourceName);
            _readers = [.. partitions.Select(p => new PartitionReader(p, connection, _options, _pipeline, _checkpoints, mapper, SourceName, _time, _logger))];
            LogStarted(SourceName, string.Join(", ", partitions));
            await Task.WhenAll(_readers.Select(r => r.RunAsync(stoppingToken))).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the hub for its partition ids (the <c>$management</c> READ), retrying (the Polly pipeline <c>eventhubs-discovery</c>) until it answers or the host stops.</summary>
    private async Task<string[]?> DiscoverAsync(EventHubConnection connection, CancellationToken stoppingToken)
    {
        var client = new EventHubConsumerClient(_options.ConsumerGroup, connection);
        await using (client.ConfigureAwait(false))
        {
            string[]? partitions = null;
            var retry = SupervisorRetry.Build("eventhubs-discovery", _time, (attempt, _) => EventHubsFailure.Backoff(attempt + 1, _options.MaxRetryDelay), OnDiscoveryRetry);
            try
            {
                await retry.ExecuteAsync(
                    async token =>
                    {
                        partitions = await client.GetPartitionIdsAsync(token).ConfigureAwait(false);
                        return true;
                    },
                    stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }

            _discoveryProblem = null;
            return partitions;
        }
    }

    private void OnDiscoveryRetry(Exception? failure, int attempt, TimeSpan delay)
    {
        _discoveryProblemPermanent = EventHubsFailure.IsPermanent(failure!);
        _discoveryProblem = $"cannot read the hub's partitions: {EventHubsFailure.Describe(failure!)}";
        LogDiscoveryFailed(SourceName, _discoveryProblem, delay.TotalSeconds);
    }

    [LoggerMessage(EventId = 5500, Level = LogLevel.Information, Message = "Reading IoT Hub events from {Source}, partitions {Partitions}")]
    private partial void LogStarted(string source, string partitions);

    [LoggerMessage(EventId = 5506, Level = LogLevel.Warning, Message = "Event Hubs source {Source}: {Reason}; retrying in {DelaySeconds} s")]
    private partial void LogDiscoveryFailed(string source, string reason, double delaySeconds);
}

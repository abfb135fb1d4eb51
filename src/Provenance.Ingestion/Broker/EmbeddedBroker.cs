using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Provenance.Core.Gateways;
using Provenance.Core.Registry;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// The in-process MQTT broker (MQTTnet). Gateways authenticate with their id as client id and user name and the
/// secret printed by <c>gateways add</c>; each may publish only under <c>prov/v1/{its site}/{its id}/</c> and may
/// not subscribe. Every gateway message is handed to the <see cref="IngestionPipeline"/> inside the publish
/// interceptor, so the broker's PUBACK to the gateway leaves only after the message is durably committed: an
/// in-memory broker must not acknowledge what a crash could lose.
/// </summary>
public sealed partial class EmbeddedBroker : IHostedService, IAsyncDisposable
{
    private const string GatewayItem = "gateway";
    private readonly EmbeddedBrokerOptions _options;
    private readonly RegistryStore _registry;
    private readonly IngestionPipeline _pipeline;
    private readonly IngestionWriter _writer;
    private readonly ILogger<EmbeddedBroker> _logger;
    private MqttServer? _server;

    public EmbeddedBroker(EmbeddedBrokerOptions options, RegistryStore registry, IngestionPipeline pipeline, IngestionWriter writer, ILogger<EmbeddedBroker> logger)
    {
        _options = options;
        _registry = registry;
        _pipeline = pipeline;
        _writer = writer;
        _logger = logger;
    }

    /// <summary>The port the broker listens on (resolved when configured as 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Port = _options.Port == 0 ? FreePort(_options.Address) : _options.Port;
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(_options.Address))
            .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
            .WithDefaultEndpointPort(Port)
            .WithConnectionBacklog(256)
            .Build();
        options.DefaultEndpointOptions.NoDelay = true;
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += e =>
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            return Task.CompletedTask;
        };
        await _server.StartAsync().ConfigureAwait(false);
        LogListening(_options.Address, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            _server.Dispose();
            _server = null;
        }
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var gateway = e.UserName is null ? null : _registry.FindGateway(e.UserName);
        var secretOk = e.UserName is not null && _registry.CheckGatewaySecret(e.UserName, e.Password ?? string.Empty);
        if (gateway is null || !secretOk)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(e.ClientId, "bad user name or secret");
            return Task.CompletedTask;
        }

        if (e.ClientId != gateway.Id)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            LogRefused(e.ClientId, "client id must equal the gateway id");
            return Task.CompletedTask;
        }

        e.SessionItems[GatewayItem] = gateway;
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload.ToArray();
        if (e.SessionItems[GatewayItem] is not GatewayRegistration gateway)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            return;
        }

        var allowed = $"{GatewayTopic.Prefix}{gateway.SiteId}/{gateway.Id}/";
        if (!topic.StartsWith(allowed, StringComparison.Ordinal))
        {
            _writer.AddDeadLetters([new DeadLetter(topic, "wrong_topic", $"gateway '{gateway.Id}' may publish only under {allowed}", null, payload)]);
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            return;
        }

        if (!await _pipeline.SubmitAsync(topic, payload).ConfigureAwait(false))
        {
            // Not committed: no success PUBACK, and drop the connection so that the gateway sends it again.
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
        }
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private partial void LogListening(string address, int port);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Refused MQTT connection from client {ClientId}: {Reason}")]
    private partial void LogRefused(string clientId, string reason);
}

using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Provenance.Core.Gateways;
using Provenance.Core.Registry;
using Provenance.Ingestion.Broker.Internal;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.Tracing;
using Provenance.Ingestion.IotHub;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// The in-process MQTT broker (MQTTnet). Gateways authenticate with their id as client id and user name and either
/// the secret printed by <c>gateways add</c> or, on the TLS listener, an X.509 client certificate naming them; a
/// revoked gateway is refused. Each may publish only under <c>prov/v1/{its site}/{its id}/</c> and may not subscribe
/// (IoT Hub devices may subscribe to IoT Hub's documented cloud-to-device topics only).
/// Every gateway message is handed to the <see cref="IngestionPipeline"/> inside the publish interceptor, so the
/// broker's PUBACK to the gateway leaves only after the message is durably committed: an in-memory broker must not
/// acknowledge what a crash could lose. Connections are capped per listener and per address, packets by size, and
/// a PUBLISH that breaks the protocol (wildcards in its topic, QoS 3, topic aliases) closes its connection. Devices
/// built on Azure IoT Hub's SDKs log in with IoT Hub's dialect instead (see EmbeddedBroker.IotHub.cs).
/// </summary>
public sealed partial class EmbeddedBroker : IHostedService, IAsyncDisposable
{
    private const string GatewayItem = "gateway";
    private readonly EmbeddedBrokerOptions _options;
    private readonly RegistryStore _registry;
    private readonly GatewayDirectory _directory;
    private readonly IngestionPipeline _pipeline;
    private readonly IngestionWriter _writer;
    private readonly ILogger<EmbeddedBroker> _logger;
    private readonly DeviceKeyStore? _deviceKeys;
    private readonly DeviceTwinStore? _twins;
    private readonly DeviceCertificateStore? _deviceCertificates;
    private BrokerCertificates? _certificates;
    private GuardedServerAdapter? _adapter;
    private MqttServer? _server;

    public EmbeddedBroker(
        EmbeddedBrokerOptions options, RegistryStore registry, IngestionPipeline pipeline, IngestionWriter writer, ILogger<EmbeddedBroker> logger, DeviceKeyStore? deviceKeys = null, DeviceTwinStore? twins = null,
        DeviceCertificateStore? deviceCertificates = null)
    {
        _deviceCertificates = deviceCertificates;
        _deviceKeys = deviceKeys;
        _twins = twins;
        _options = options;
        _registry = registry;
        _directory = new GatewayDirectory(registry);
        _pipeline = pipeline;
        _writer = writer;
        _logger = logger;
    }

    /// <summary>The port of the plain listener (resolved when configured as 0; 0 when there is none).</summary>
    public int Port => _adapter?.Listeners.FirstOrDefault(l => !l.IsTls)?.Port ?? 0;

    /// <summary>The port of the TLS listener (resolved when configured as 0; 0 when there is none).</summary>
    public int TlsPort => _adapter?.Listeners.FirstOrDefault(l => l.IsTls)?.Port ?? 0;

    /// <summary>Connections currently open on all listeners.</summary>
    public int OpenConnections => _adapter?.Listeners.Sum(l => l.OpenConnections) ?? 0;

    /// <summary>Connections refused by the limits since start.</summary>
    public long RefusedConnections => _adapter?.Listeners.Sum(l => l.Refused) ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _certificates = _options.Tls.Enabled ? new BrokerCertificates(_options.Tls, acceptSelfSigned: IotHubEnabled) : null;
        _adapter = new GuardedServerAdapter(_options, _certificates, _logger);
        var options = new MqttServerOptionsBuilder().WithDefaultCommunicationTimeout(_options.ConnectTimeout).Build();
        _server = new MqttServerFactory().CreateMqttServer(options, [_adapter]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingInboundPacketAsync += InterceptInboundAsync;
        _server.InterceptingOutboundPacketAsync += InterceptOutbound;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingUnsubscriptionAsync += InterceptUnsubscriptionAsync;
        _server.ClientConnectedAsync += TrackConnectedAsync;
        _server.ClientDisconnectedAsync += TrackDisconnectedAsync;
        await _server.StartAsync().ConfigureAwait(false);
        foreach (var listener in _adapter.Listeners)
        {
            LogListening(_options.Address, listener.Port, listener.IsTls ? "MQTT over TLS" : "MQTT");
        }
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

        _adapter?.Dispose();
        _certificates?.Dispose();
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var clientId = Topics.Bounded(e.ClientId);
        if (IotHubDeviceLogin.IsIotHubUserName(e.UserName))
        {
            return ValidateIotHubDevice(e, clientId);
        }

        GatewayRegistration? gateway;
        if (e.ClientCertificate is { } certificate && _certificates?.ChainsToClientCa(certificate) == true)
        {
            // Issued by Broker:Tls:ClientCaPath, so the certificate names the gateway. A self-signed certificate (which
            // the handshake lets through for IoT Hub's dialect) names nobody here: such a client logs in with its secret.
            var named = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            gateway = named == e.ClientId ? _registry.FindGateway(named) : null;
            if (gateway is null)
            {
                return Refuse(e, MqttConnectReasonCode.NotAuthorized, clientId, $"client certificate names '{Topics.Bounded(named)}', which is not this client id or not a registered gateway");
            }
        }
        else
        {
            gateway = e.UserName is null ? null : _registry.FindGateway(e.UserName);
            var secretOk = e.UserName is not null && _registry.VerifyGatewaySecret(e.UserName, e.Password ?? string.Empty);
            if (gateway is null || !secretOk)
            {
                return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, "bad user name or secret");
            }
        }

        if (gateway.IsRevoked)
        {
            return Refuse(e, MqttConnectReasonCode.Banned, clientId, "the gateway was revoked");
        }

        if (e.ClientId != gateway.Id)
        {
            return Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, clientId, "client id must equal the gateway id");
        }

        e.SessionItems[GatewayItem] = gateway;
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private Task Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string clientId, string reason)
    {
        e.ReasonCode = code;
        LogRefused(clientId, reason);
        return Task.CompletedTask;
    }

    private async Task InterceptInboundAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not MqttPublishPacket publish || (ProtocolGuard.Check(publish) ?? IotHubViolation(e, publish)) is not { } violation)
        {
            return;
        }

        e.ProcessPacket = false;
        LogProtocolViolation(Topics.Bounded(e.ClientId), violation.Reason);
        await _server!.DisconnectClientAsync(e.ClientId, new MqttServerClientDisconnectOptions { ReasonCode = violation.Code, ReasonString = violation.Reason }).ConfigureAwait(false);
    }

    private Task InterceptOutbound(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttConnAckPacket connAck)
        {
            // Tell MQTT 5 clients what the broker reads, so a well-behaved one never has its connection cut.
            connAck.MaximumPacketSize = (uint)_options.MaxPacketBytes;
            connAck.TopicAliasMaximum = 0;
            connAck.WildcardSubscriptionAvailable = false;
        }

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

        if (_directory.Find(gateway.Id).Gateway is not { IsRevoked: false })
        {
            // Revoked while connected: keep what it sent as evidence, acknowledge nothing, and end the session.
            _writer.AddDeadLetters([new DeadLetter(topic, ReasonCodes.RevokedGateway, $"gateway '{gateway.Id}' was revoked", null, payload)], gateway.Id);
            e.CloseConnection = true;
            return;
        }

        if (e.SessionItems[IotHubItem] is IotHubSession session)
        {
            await PublishIotHubAsync(e, gateway, session, topic, payload).ConfigureAwait(false);
            return;
        }

        var allowed = $"{GatewayTopic.Prefix}{gateway.SiteId}/{gateway.Id}/";
        if (!topic.StartsWith(allowed, StringComparison.Ordinal))
        {
            _writer.AddDeadLetters([new DeadLetter(topic, ReasonCodes.WrongTopic, $"gateway '{gateway.Id}' may publish only under {allowed}", null, payload)], gateway.Id);
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            return;
        }

        var message = new InboundMessage(topic, payload) { Trace = MessageTrace.From(e.ApplicationMessage.UserProperties) };
        if (!await _pipeline.SubmitInboundAsync(message).ConfigureAwait(false))
        {
            // Not committed: no success PUBACK, and drop the connection so that the gateway sends it again.
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port} ({Protocol})")]
    private partial void LogListening(string address, int port, string protocol);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Refused MQTT connection from client {ClientId}: {Reason}")]
    private partial void LogRefused(string clientId, string reason);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "Closed the MQTT connection of client {ClientId}: protocol violation: {Reason}")]
    private partial void LogProtocolViolation(string clientId, string reason);
}

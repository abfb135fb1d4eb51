using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Provenance.Core.Registry;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.IotHub;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// Azure IoT Hub's device dialect, so that gateways built on Microsoft's device SDKs connect unchanged: on the TLS
/// listener only, client id = device id = gateway id, user name <c>{hub host}/{device id}/?api-version=…</c>, password
/// a SAS token signed with the gateway's device key, or no password and an X.509 client certificate. Such a device publishes only on
/// <c>devices/{id}/messages/events/{property bag}</c>; the bag's <c>kind</c> routes the JWS inside into the same
/// pipeline (the pipeline checks that the gateway of the connection signed it). IoT Hub's rules hold: QoS 2, a foreign
/// topic, a message over 256 KB or an expired token close the connection without an acknowledgement.
/// </summary>
public sealed partial class EmbeddedBroker
{
    private const string IotHubItem = "iothub";

    private Task ValidateIotHubDevice(ValidatingConnectionEventArgs e, string clientId)
    {
        if (!ArrivedOverTls(e))
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, clientId, "IoT Hub's dialect is served on the TLS listener only (Broker:Tls), as IoT Hub has no plain port");
        }

        if (!IotHubEnabled)
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, clientId, "a device logged in with IoT Hub's dialect, which is off: set Broker:IotHub:HostName to the HostName in its connection string");
        }

        if (!IotHubDeviceLogin.TryParse(e.UserName, out var login, out var error))
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, error);
        }

        if (!string.Equals(login.HubHost, _options.IotHub.HostName, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, $"the user name names hub '{Topics.Bounded(login.HubHost)}'; this server answers as '{_options.IotHub.HostName}' (Broker:IotHub:HostName)");
        }

        if (login.DeviceId != e.ClientId)
        {
            return Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, clientId, "the client id must equal the device id in the user name");
        }

        if (string.IsNullOrEmpty(e.Password) && e.ClientCertificate is { } certificate)
        {
            return ValidateIotHubCertificate(e, clientId, login, certificate);
        }

        if (!SasToken.TryParse(e.Password, out var token, out error))
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, error);
        }

        var gateway = _registry.FindGateway(login.DeviceId);
        var key = gateway is null ? null : _deviceKeys!.Find(gateway.Id);
        var problem = token.Check($"{_options.IotHub.HostName}/devices/{login.DeviceId}", key ?? new byte[32], _time.GetUtcNow());
        if (gateway is null || key is null)
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, "the device is not a gateway registered with a device key ('gateways add --auth sas')");
        }

        if (problem is not null)
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, clientId, problem);
        }

        if (gateway.IsRevoked)
        {
            return Refuse(e, MqttConnectReasonCode.Banned, clientId, "the gateway was revoked");
        }

        e.SessionItems[GatewayItem] = gateway;
        e.SessionItems[IotHubItem] = new IotHubSession(login, DateTimeOffset.FromUnixTimeSeconds(token.Expiry));
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    /// <summary>
    /// IoT Hub's X.509 login (no password): a self-signed certificate whose SHA-256 thumbprint was registered for the
    /// device, or one issued by Broker:Tls:ClientCaPath whose common name is the device id. The handshake already
    /// checked the signature and validity dates; the session lasts until the certificate expires.
    /// </summary>
    private Task ValidateIotHubCertificate(ValidatingConnectionEventArgs e, string clientId, IotHubDeviceLogin login, X509Certificate2 certificate)
    {
        var gateway = _registry.FindGateway(login.DeviceId);
        var registration = gateway is null ? null : _deviceCertificates?.Find(gateway.Id);
        if (gateway is null || registration is null)
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, clientId, "the device presented a certificate but is not a gateway registered for X.509 ('gateways add --auth x509')");
        }

        var recognised = registration.Thumbprint is { } thumbprint
            ? DeviceCertificateStore.MatchesThumbprint(thumbprint, certificate.RawData)
            : _certificates?.ChainsToClientCa(certificate) == true
              && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) == login.DeviceId;
        if (!recognised)
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, clientId, registration.Thumbprint is null
                ? "the certificate is not issued by Broker:Tls:ClientCaPath for this device id (common name)"
                : "the certificate's SHA-256 thumbprint is not the one registered for this device");
        }

        if (gateway.IsRevoked)
        {
            return Refuse(e, MqttConnectReasonCode.Banned, clientId, "the gateway was revoked");
        }

        e.SessionItems[GatewayItem] = gateway;
        e.SessionItems[IotHubItem] = new IotHubSession(login, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private bool IotHubEnabled => !string.IsNullOrWhiteSpace(_options.IotHub.HostName) && _deviceKeys is not null;

    // The TLS listener hands MQTTnet a size-guarded stream over the SslStream, so MQTTnet cannot tell TLS by itself:
    // the local port says which listener accepted the connection.
    private bool ArrivedOverTls(ValidatingConnectionEventArgs e) =>
        e.ChannelAdapter.IsSecureConnection || (TlsPort != 0 && e.ChannelAdapter.LocalEndPoint is System.Net.IPEndPoint local && local.Port == TlsPort);

    private static (MqttDisconnectReasonCode Code, string Reason)? IotHubViolation(InterceptingPacketEventArgs e, MqttPublishPacket publish) =>
        e.SessionItems[IotHubItem] is IotHubSession && publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce
            ? (MqttDisconnectReasonCode.QoSNotSupported, "IoT Hub accepts QoS 0 and 1 only")
            : null;

    private async Task PublishIotHubAsync(InterceptingPublishEventArgs e, GatewayRegistration gateway, IotHubSession session, string topic, byte[] payload)
    {
        var events = IotHubRoute.EventsTopic(gateway.Id);
        var isEvent = topic == events || topic.StartsWith(events + "/", StringComparison.Ordinal);
        if (!isEvent && !topic.StartsWith("$iothub/", StringComparison.Ordinal))
        {
            // IoT Hub closes the connection of a device that publishes anywhere else.
            CloseIotHub(e, gateway, topic, payload, ReasonCodes.WrongTopic, $"device '{gateway.Id}' may publish only on {events}/{{property bag}} and IoT Hub's $iothub/ twin and method topics");
            return;
        }

        if (payload.Length > IotHubDialectOptions.MaxMessageBytes)
        {
            CloseIotHub(e, gateway, topic, payload, ReasonCodes.Oversized, $"message of {payload.Length} bytes exceeds IoT Hub's limit of {IotHubDialectOptions.MaxMessageBytes}");
            return;
        }

        if (session.TokenExpiry <= _time.GetUtcNow())
        {
            // As IoT Hub does: the device SDK reconnects with a fresh token and sends the message again.
            LogIotHubTokenExpired(Topics.Bounded(gateway.Id));
            e.CloseConnection = true;
            return;
        }

        if (!isEvent)
        {
            if (!await HandleIotHubRequestAsync(gateway, session, topic, payload).ConfigureAwait(false))
            {
                CloseIotHub(e, gateway, topic, payload, ReasonCodes.WrongTopic, $"device '{gateway.Id}' published on '{Topics.Bounded(topic)}', which is not one of IoT Hub's documented $iothub/ topics");
            }

            return;
        }

        var kind = IotHubPropertyBag.Parse(topic.Length > events.Length ? topic[(events.Length + 1)..] : string.Empty).GetValueOrDefault(IotHubRoute.KindProperty);
        var message = IotHubRoute.Route(gateway.Id, kind, _directory.Find(gateway.Id).Gateway, payload);
        if (!await _pipeline.SubmitInboundAsync(message).ConfigureAwait(false))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
        }
    }

    private void CloseIotHub(InterceptingPublishEventArgs e, GatewayRegistration gateway, string topic, byte[] payload, string code, string reason)
    {
        _writer.AddDeadLetters([new DeadLetter(Topics.Bounded(topic), code, reason, null, payload)], gateway.Id);
        LogProtocolViolation(Topics.Bounded(gateway.Id), reason);
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.CloseConnection = true;
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Information, Message = "Closed the IoT Hub connection of device {DeviceId}: its SAS token expired; it reconnects with a new one")]
    private partial void LogIotHubTokenExpired(string deviceId);
}

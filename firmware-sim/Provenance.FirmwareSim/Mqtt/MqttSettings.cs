using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>Builds the MQTT 5 client options of a gateway: credentials, client id, TLS, 1 MiB socket buffers, signed last will.</summary>
internal static class MqttSettings
{
    /// <summary>Socket send/receive buffer size. MQTTnet's 8 KiB default stalls QoS 1 streams under load.</summary>
    public const int SocketBufferBytes = 1024 * 1024;

    public static MqttClientOptions Build(SimulatorOptions options, string willTopic, byte[] willPayload)
    {
        EndPoint endPoint = IPAddress.TryParse(options.Host, out var address)
            ? new IPEndPoint(address, options.Port)
            : new DnsEndPoint(options.Host, options.Port);
        if (options.IotHub)
        {
            return BuildIotHub(options, endPoint);
        }

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(tcp =>
            {
                tcp.BufferSize = SocketBufferBytes;
                tcp.NoDelay = true;
            })
            .WithEndPoint(endPoint)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(options.GatewayId)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (options.UseTls)
        {
            var root = options.CaFile is null ? null : X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
            builder = builder.WithTlsOptions(tls => tls
                .UseTls(true)
                // Checked against the certificate's DNS names or IP addresses: the host the gateway dials.
                .WithTargetHost(options.Host)
                .WithCertificateValidationHandler(v => BrokerCertificate.IsTrusted(v.Certificate, v.SslPolicyErrors, root)));
        }

        var username = options.Username ?? options.GatewayId;
        builder = options.Password is null ? builder.WithCredentials(username, (byte[]?)null) : builder.WithCredentials(username, options.Password);
        var built = builder.Build();

        // BufferSize becomes the socket's SendBufferSize and ReceiveBufferSize; make sure the builder kept it.
        var tcpOptions = (MqttClientTcpOptions)built.ChannelOptions;
        tcpOptions.BufferSize = SocketBufferBytes;
        tcpOptions.NoDelay = true;
        return built;
    }

    /// <summary>IoT Hub's dialect: MQTT 3.1.1, TLS, client id = device id, SAS token as password, no will (IoT Hub routes none).</summary>
    private static MqttClientOptions BuildIotHub(SimulatorOptions options, EndPoint endPoint)
    {
        var root = options.CaFile is null ? null : X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
        var built = new MqttClientOptionsBuilder()
            .WithTcpServer(tcp =>
            {
                tcp.BufferSize = SocketBufferBytes;
                tcp.NoDelay = true;
            })
            .WithEndPoint(endPoint)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(options.GatewayId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(tls => tls
                .UseTls(true)
                .WithTargetHost(options.Host)
                .WithCertificateValidationHandler(v => BrokerCertificate.IsTrusted(v.Certificate, v.SslPolicyErrors, root)))
            .WithCredentials(IotHubDialect.UserName(options), IotHubDialect.Token(options, DateTimeOffset.UtcNow))
            .Build();
        ((MqttClientTcpOptions)built.ChannelOptions).BufferSize = SocketBufferBytes;
        return built;
    }

    public static MqttApplicationMessage Message(string topic, byte[] payload, bool retain, string? responseTopic = null, byte[]? correlation = null)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain);
        if (responseTopic is not null)
        {
            builder = builder.WithResponseTopic(responseTopic).WithCorrelationData(correlation);
        }

        return builder.Build();
    }
}

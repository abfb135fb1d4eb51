using System.Security.Cryptography;
using MQTTnet;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>IoT Hub's X.509 login: a self-signed certificate recognised by its registered SHA-256 thumbprint, or a certificate from the client CA named by its common name.</summary>
public sealed partial class IotHubDialectTests
{
    [Fact]
    public async Task A_self_signed_certificate_whose_thumbprint_was_registered_logs_in_without_a_password_and_its_seal_is_stored()
    {
        var device = Rig.AddGateway($"dev-x509-{Guid.NewGuid():N}"[..20]);
        using var certificate = GatewayPki.SelfSignedClient(device);
        Rig.DeviceCertificates.Register(device, Convert.ToHexString(SHA256.HashData(certificate.RawData)).ToLowerInvariant());

        var (client, code) = await hub.ConnectWithCertificateAsync(device, certificate);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, code);

        var (_, payload, events) = Rig.GoodSeal(device);
        var result = await BrokerRig.PublishAsync(client, $"devices/{device}/messages/events/kind=seal", payload);
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.True(Rig.Seals.ContainsEvent(events[0].EventId), "the acknowledged seal is not stored");
    }

    [Fact]
    public async Task A_self_signed_certificate_with_another_thumbprint_is_refused()
    {
        var device = Rig.AddGateway($"dev-x509-{Guid.NewGuid():N}"[..20]);
        using var registered = GatewayPki.SelfSignedClient(device);
        using var other = GatewayPki.SelfSignedClient(device);
        Rig.DeviceCertificates.Register(device, Convert.ToHexString(SHA256.HashData(registered.RawData)));

        var (client, code) = await hub.ConnectWithCertificateAsync(device, other);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, code);
    }

    [Fact]
    public async Task A_device_registered_for_sas_only_cannot_log_in_with_a_certificate()
    {
        var device = hub.NewDevice("dev-sasonly");
        using var certificate = GatewayPki.SelfSignedClient(device);

        var (client, code) = await hub.ConnectWithCertificateAsync(device, certificate);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, code);
    }

    [Fact]
    public async Task A_certificate_from_the_client_ca_logs_in_a_device_registered_without_a_thumbprint_only_under_its_own_common_name()
    {
        var device = Rig.AddGateway($"dev-ca-{Guid.NewGuid():N}"[..20]);
        var other = Rig.AddGateway($"dev-ca-{Guid.NewGuid():N}"[..20]);
        Rig.DeviceCertificates.Register(device, thumbprint: null);
        Rig.DeviceCertificates.Register(other, thumbprint: null);
        using var issued = hub.Pki.IssueClient(device);

        var (own, ownCode) = await hub.ConnectWithCertificateAsync(device, issued);
        own.Dispose();
        var (foreign, foreignCode) = await hub.ConnectWithCertificateAsync(other, issued);
        foreign.Dispose();

        Assert.Equal(MqttClientConnectResultCode.Success, ownCode);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, foreignCode);
    }

    [Fact]
    public async Task A_self_signed_certificate_naming_a_gateway_does_not_log_it_in_on_the_ordinary_gateway_login()
    {
        // The handshake lets self-signed certificates through for IoT Hub's dialect; the ordinary login must still
        // take only client-CA certificates as identity, so this one (no secret either) gets nowhere.
        var gateway = Rig.AddGateway($"gw-plain-{Guid.NewGuid():N}"[..20]);
        using var forged = GatewayPki.SelfSignedClient(gateway);

        var (client, code) = await hub.ConnectWithCertificateAsync(gateway, forged, iotHubUserName: false);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }
}

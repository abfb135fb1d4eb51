namespace Provenance.Ingestion.Broker;

/// <summary>
/// Azure IoT Hub's MQTT dialect on the broker's TLS listener, section <c>Broker:IotHub</c>: gateways built on
/// Microsoft's device SDKs connect with a connection string <c>HostName={HostName};GatewayHostName={this
/// server}:8883;DeviceId={gateway id};SharedAccessKey={key from 'gateways add --auth sas'}</c>.
/// </summary>
public sealed class IotHubDialectOptions
{
    /// <summary>
    /// The hub host name devices put in their connection strings (<c>HostName=</c>) and so in their user names and SAS
    /// tokens, e.g. <c>plant-1.azure-devices.net</c> or any name the plant picks. Unset: the dialect is refused.
    /// </summary>
    public string? HostName { get; set; }

    /// <summary>IoT Hub's largest device-to-cloud message.</summary>
    public const int MaxMessageBytes = 256 * 1024;
}

using Azure.Messaging.EventHubs;
using Provenance.Core.Gateways;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.IotHub;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.EventHubs.Internal;

/// <summary>
/// Turns an event read from an IoT Hub's Event Hub-compatible endpoint into a pipeline message: the identity is the
/// device id IoT Hub stamped on it (system property <c>iothub-connection-device-id</c>), never anything in the
/// payload; the body is the gateway's JWS; the <c>kind</c> application property routes it; its sequence number
/// becomes the partition's checkpoint, committed with it. Thread-safe.
/// </summary>
internal sealed class IotHubEventMapper(GatewayDirectory gateways, string source)
{
    public const string DeviceIdProperty = "iothub-connection-device-id";

    public InboundMessage Map(string partition, EventData data)
    {
        var deviceId = data.SystemProperties.TryGetValue(DeviceIdProperty, out var device) ? device as string : null;
        var kind = data.Properties.TryGetValue(IotHubRoute.KindProperty, out var value) ? value as string : null;
        var gateway = Identifier.IsValid(deviceId) ? gateways.Find(deviceId!).Gateway : null;
        var message = IotHubRoute.Route(deviceId, kind, gateway, data.EventBody.ToMemory());
        return message with { Checkpoint = new SourceCheckpoint(source, partition, data.SequenceNumber, data.OffsetString) };
    }
}

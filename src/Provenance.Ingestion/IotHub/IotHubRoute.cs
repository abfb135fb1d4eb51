using Provenance.Core.Gateways;
using Provenance.Core.Registry;

namespace Provenance.Ingestion.IotHub;

/// <summary>
/// Maps a device-to-cloud message in Azure IoT Hub's terms (the device id IoT Hub authenticated, and the message's
/// <c>kind</c> application property) onto the gateway topic <c>prov/v1/{site}/{gateway}/{kind}</c> that the
/// ingestion pipeline verifies. The device id is the identity: the JWS inside must be signed by that gateway, which
/// the pipeline checks against the topic. Device ids are gateway ids (<see cref="Identifier"/>).
/// </summary>
public static class IotHubRoute
{
    /// <summary>The application property that says what a message carries: <c>seal</c>, <c>gnss</c> or <c>status</c>.</summary>
    public const string KindProperty = "kind";

    /// <summary>The device-to-cloud topic a device publishes on (MQTT), used to label what a device sent.</summary>
    public static string EventsTopic(string? deviceId) => $"devices/{deviceId}/messages/events";

    /// <summary>Parses the <c>kind</c> property; null when it is missing or not one of the gateway message kinds.</summary>
    public static GatewayMessageKind? ParseKind(string? kind) => kind switch
    {
        "seal" => GatewayMessageKind.Seal,
        "gnss" => GatewayMessageKind.Gnss,
        "status" => GatewayMessageKind.Status,
        "pack" => GatewayMessageKind.Pack,
        _ => null,
    };

    /// <summary>
    /// The message as the pipeline takes it: routed to its gateway topic, or refused (unknown device, missing kind)
    /// with a reason that an operator can act on.
    /// </summary>
    /// <param name="deviceId">The device id IoT Hub (or our broker) authenticated; never taken from the payload.</param>
    /// <param name="kind">The message's <c>kind</c> application property.</param>
    /// <param name="gateway">The gateway registered under <paramref name="deviceId"/>, if any.</param>
    /// <param name="payload">The message body (a JWS).</param>
    public static InboundMessage Route(string? deviceId, string? kind, GatewayRegistration? gateway, ReadOnlyMemory<byte> payload)
    {
        if (string.IsNullOrEmpty(deviceId))
        {
            return Refused(deviceId, payload, ReasonUnknownGateway, "the message names no device (IoT Hub system property iothub-connection-device-id): only messages IoT Hub received from a device are accepted");
        }

        if (gateway is null)
        {
            return Refused(deviceId, payload, ReasonUnknownGateway, $"device '{Bounded(deviceId)}' is not a registered gateway (register it with 'gateways add --id {Bounded(deviceId)}')");
        }

        if (ParseKind(kind) is not { } parsed)
        {
            return Refused(deviceId, payload, ReasonBadTopic, $"device '{deviceId}' sent a message whose '{KindProperty}' property is '{Bounded(kind)}'; it must be seal, gnss or status");
        }

        return new InboundMessage(new GatewayTopic(gateway.SiteId, gateway.Id, parsed).ToString(), payload);
    }

    private const string ReasonUnknownGateway = "unknown_gateway";
    private const string ReasonBadTopic = "bad_topic";

    private static InboundMessage Refused(string? deviceId, ReadOnlyMemory<byte> payload, string code, string reason) =>
        new(EventsTopic(Bounded(deviceId)), payload) { Refusal = new InboundRefusal(code, reason) };

    private static string Bounded(string? text) => text is null ? string.Empty : text.Length <= 128 ? text : text[..128] + "…";
}

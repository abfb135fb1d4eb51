using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Provenance.Api.Producer;

/// <summary>
/// A gateway's device twin: the configuration it is asked to apply (desired) and what it last said about itself
/// (reported, with its firmware version and queue depth pulled out), each with its version.
/// </summary>
public sealed record GatewayTwinBody(
    [property: JsonPropertyName("gatewayId")] string GatewayId,
    [property: JsonPropertyName("desired")] JsonObject Desired,
    [property: JsonPropertyName("desiredVersion")] long DesiredVersion,
    [property: JsonPropertyName("reported")] JsonObject Reported,
    [property: JsonPropertyName("reportedVersion")] long ReportedVersion,
    [property: JsonPropertyName("reportedAt")] DateTimeOffset? ReportedAt,
    [property: JsonPropertyName("firmwareVersion")] string? FirmwareVersion,
    [property: JsonPropertyName("queueDepth")] long? QueueDepth,
    [property: JsonPropertyName("pushed")] bool? Pushed);

/// <summary>A direct method call: a JSON payload for the device and how long to wait for its answer (5–300 s, default 30).</summary>
public sealed record DirectMethodRequest(
    [property: JsonPropertyName("payload")] JsonNode? Payload,
    [property: JsonPropertyName("responseTimeoutInSeconds")] int? ResponseTimeoutInSeconds);

/// <summary>The device's answer to a direct method: its status and JSON payload.</summary>
public sealed record DirectMethodResponseBody(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("payload")] JsonNode? Payload);

/// <summary>A cloud-to-device message: its body (text) and application properties.</summary>
public sealed record CloudToDeviceRequest(
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties);

namespace Provenance.Core.Twins;

/// <summary>
/// The cloud-to-device side of IoT Hub's dialect, for gateways connected to this node's broker: desired-property
/// pushes, direct methods and cloud-to-device messages. A gateway that is not connected (or has not subscribed to
/// the feature) is reported as such, never silently skipped.
/// </summary>
public interface IDeviceChannel
{
    /// <summary>Sends a desired-properties patch (with its <c>$version</c>) to the device if it listens; false when it does not.</summary>
    Task<bool> PushDesiredAsync(string deviceId, string patchJson, long version, CancellationToken cancellationToken);

    /// <summary>Invokes a direct method on the device and waits for its answer up to <paramref name="timeout"/>.</summary>
    Task<DirectMethodOutcome> InvokeMethodAsync(string deviceId, string methodName, string payloadJson, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Sends a cloud-to-device message (QoS 1); false when the device is not connected and subscribed.</summary>
    Task<bool> SendToDeviceAsync(string deviceId, byte[] body, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken);
}

/// <summary>How a direct method ended: answered (with the device's status and JSON payload), timed out, or not deliverable.</summary>
public sealed record DirectMethodOutcome(DirectMethodState State, int Status, string? PayloadJson)
{
    public static DirectMethodOutcome Offline { get; } = new(DirectMethodState.DeviceOffline, 0, null);

    public static DirectMethodOutcome TimedOut { get; } = new(DirectMethodState.TimedOut, 0, null);
}

public enum DirectMethodState
{
    Answered,
    DeviceOffline,
    TimedOut,
}

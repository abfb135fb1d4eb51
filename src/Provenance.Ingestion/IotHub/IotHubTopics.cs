using System.Globalization;

namespace Provenance.Ingestion.IotHub;

/// <summary>What a device asks on IoT Hub's <c>$iothub/</c> topics.</summary>
public enum IotHubRequestKind
{
    TwinGet,
    TwinPatchReported,
    MethodResponse,
}

/// <summary>A device's request on a <c>$iothub/</c> topic: its kind, request id (<c>$rid</c>) and, for a method answer, the status.</summary>
public sealed record IotHubRequest(IotHubRequestKind Kind, string RequestId, int Status);

/// <summary>
/// IoT Hub's device topics beyond telemetry, as Microsoft documents them and its device SDKs use them: twin requests
/// (<c>$iothub/twin/GET/?$rid=</c>, <c>$iothub/twin/PATCH/properties/reported/?$rid=</c>) answered on
/// <c>$iothub/twin/res/{status}/?$rid=</c>, desired-property pushes on
/// <c>$iothub/twin/PATCH/properties/desired/?$version=</c>, direct methods on <c>$iothub/methods/POST/{name}/?$rid=</c>
/// answered on <c>$iothub/methods/res/{status}/?$rid=</c>, and cloud-to-device messages on
/// <c>devices/{id}/messages/devicebound/{property bag}</c>.
/// </summary>
public static class IotHubTopics
{
    private const int MaxRequestId = 128;

    /// <summary>The topic filters a device may subscribe to, and which feature each enables.</summary>
    public static IotHubFeatures? Subscription(string deviceId, string filter) => filter switch
    {
        "$iothub/twin/res/#" => IotHubFeatures.TwinResponses,
        "$iothub/twin/PATCH/properties/desired/#" => IotHubFeatures.DesiredUpdates,
        "$iothub/methods/POST/#" => IotHubFeatures.Methods,
        _ when filter == $"devices/{deviceId}/messages/devicebound/#" => IotHubFeatures.CloudToDevice,
        _ => null,
    };

    /// <summary>Reads a device's publish on a <c>$iothub/</c> topic; null when it is not a documented request.</summary>
    public static IotHubRequest? ParseRequest(string topic)
    {
        var query = topic.IndexOf("/?", StringComparison.Ordinal);
        if (query < 0 || IotHubPropertyBag.Parse(topic[(query + 2)..]).GetValueOrDefault("$rid") is not { Length: > 0 and <= MaxRequestId } rid || rid.Any(char.IsControl))
        {
            return null;
        }

        var path = topic[..query];
        if (path.Equals("$iothub/twin/GET", StringComparison.OrdinalIgnoreCase))
        {
            return new IotHubRequest(IotHubRequestKind.TwinGet, rid, 0);
        }

        if (path.Equals("$iothub/twin/PATCH/properties/reported", StringComparison.OrdinalIgnoreCase))
        {
            return new IotHubRequest(IotHubRequestKind.TwinPatchReported, rid, 0);
        }

        const string methodResponse = "$iothub/methods/res/";
        return path.StartsWith(methodResponse, StringComparison.Ordinal)
            && int.TryParse(path.AsSpan(methodResponse.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status <= 999
            ? new IotHubRequest(IotHubRequestKind.MethodResponse, rid, status)
            : null;
    }

    /// <summary>The answer topic to a twin request.</summary>
    public static string TwinResponse(int status, string requestId, long? version = null) =>
        $"$iothub/twin/res/{status}/?$rid={Uri.EscapeDataString(requestId)}" + (version is { } v ? $"&$version={v}" : string.Empty);

    /// <summary>The topic a desired-properties patch is pushed on.</summary>
    public static string DesiredPush(long version) => $"$iothub/twin/PATCH/properties/desired/?$version={version}";

    /// <summary>The topic a direct method is invoked on.</summary>
    public static string MethodInvocation(string methodName, string requestId) => $"$iothub/methods/POST/{methodName}/?$rid={requestId}";

    /// <summary>The topic of a cloud-to-device message, system properties (<c>$.mid</c>, <c>$.to</c>) first, then the application properties.</summary>
    public static string CloudToDevice(string deviceId, string messageId, IReadOnlyDictionary<string, string> properties)
    {
        var bag = $"$.mid={Uri.EscapeDataString(messageId)}&$.to={Uri.EscapeDataString($"/devices/{deviceId}/messages/devicebound")}";
        foreach (var (name, value) in properties)
        {
            bag += $"&{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
        }

        return $"devices/{deviceId}/messages/devicebound/{bag}";
    }
}

/// <summary>The cloud-to-device features a device enabled by subscribing.</summary>
[Flags]
public enum IotHubFeatures
{
    None = 0,
    TwinResponses = 1,
    DesiredUpdates = 2,
    Methods = 4,
    CloudToDevice = 8,
}

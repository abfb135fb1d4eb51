using System.Text.Json.Nodes;
using Provenance.Core.Gateways;

namespace Provenance.Core.Twins;

/// <summary>
/// What the twin of a line gateway means to Provenance. Desired properties carry its configuration
/// (<c>publishIntervalSeconds</c>, <c>lineIds</c>); reported ones its state (<c>firmwareVersion</c>,
/// <c>queueDepth</c> of its store-and-forward queue). Other properties pass through untouched.
/// </summary>
public static class GatewayTwinSettings
{
    public const string PublishIntervalSeconds = "publishIntervalSeconds";
    public const string LineIds = "lineIds";
    public const string FirmwareVersion = "firmwareVersion";
    public const string QueueDepth = "queueDepth";

    /// <summary>Checks the configuration properties a desired patch sets; null when they hold, else what is wrong.</summary>
    public static string? CheckDesired(JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch[PublishIntervalSeconds] is { } interval
            && (interval is not JsonValue value || !value.TryGetValue<int>(out var seconds) || seconds is < 1 or > 86_400))
        {
            return $"{PublishIntervalSeconds} must be a whole number of seconds from 1 to 86400";
        }

        if (patch[LineIds] is { } lines
            && (lines is not JsonArray array || array.Count > 64 || array.Any(l => l is not JsonValue v || !v.TryGetValue<string>(out var id) || !Identifier.IsValid(id))))
        {
            return $"{LineIds} must be an array of at most 64 line ids (a–z, 0–9, '-', '_')";
        }

        return null;
    }

    /// <summary>The firmware version a gateway reported, if it did.</summary>
    public static string? ReportedFirmware(JsonObject reported) =>
        reported?[FirmwareVersion] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The depth of its store-and-forward queue a gateway reported, if it did.</summary>
    public static long? ReportedQueueDepth(JsonObject reported) =>
        reported?[QueueDepth] is JsonValue v && v.TryGetValue<long>(out var depth) ? depth : null;
}

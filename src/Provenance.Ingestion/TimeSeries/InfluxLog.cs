using Microsoft.Extensions.Logging;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>Log messages of <see cref="InfluxWriter"/>; the event ids (4100–4199) are stable.</summary>
internal static partial class InfluxLog
{
    [LoggerMessage(EventId = 3150, Level = LogLevel.Debug, Message = "Wrote {Count} points to {Target}")]
    public static partial void Written(ILogger logger, int count, string target);

    [LoggerMessage(EventId = 3151, Level = LogLevel.Warning, Message = "Write of {Count} points to {Target} failed ({Failure}); retry {Attempt} in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, int count, string target, string failure, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "InfluxDB at {Target} refused a request of {Count} points as too large (413); splitting it")]
    public static partial void Splitting(ILogger logger, string target, int count);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "InfluxDB at {Target} rejected a point ({StatusCode}): {Reason}. Line: {Line}")]
    public static partial void Rejected(ILogger logger, string target, int statusCode, string reason, string line);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "InfluxDB at {Target} refused the credentials ({StatusCode}): {Reason}. Fix credentials; nothing was dropped")]
    public static partial void Unauthorized(ILogger logger, string target, int statusCode, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Gave up writing {Count} points to {Target}: {Reason}. Nothing was dropped; retry later")]
    public static partial void GaveUp(ILogger logger, int count, string target, string reason);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Debug, Message = "InfluxDB at {Target} refused {Count} points ({StatusCode}): {Reason}; locating the bad lines")]
    public static partial void LocatingBadLines(ILogger logger, string target, int count, int statusCode, string reason);
}

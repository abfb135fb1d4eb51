using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Alerts;

/// <summary>Alerts on seals whose origin was not attested, configuration section <c>OriginAlerts</c>.</summary>
public sealed class OriginAlertOptions
{
    public const string Section = "OriginAlerts";

    /// <summary>
    /// At most one alert per gateway in this interval; the next one counts the seals in between. A failure kind the
    /// gateway's previous alert did not name (e.g. outside the geofence after a stale fix) is alerted at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan PerGatewayInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the journal is read for new seals.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

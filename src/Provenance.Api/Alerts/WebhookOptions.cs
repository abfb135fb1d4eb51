using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Alerts;

/// <summary>The producer's alert webhook, configuration section <c>Webhooks</c>. No URL: no webhook.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Where alerts are POSTed (JSON, one alert per request).</summary>
    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key the receiver verifies <c>X-Provenance-Signature</c> with (at least 16 characters).</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>First retry delay; doubles each attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many failed attempts in a row (within a minute) open the circuit to a receiver, alerts and payouts each
    /// counting their own; while it is open nothing is sent to that receiver and every delivery waits, queued.
    /// </summary>
    [Range(2, 1000)]
    public int BreakAfterFailures { get; set; } = 5;

    /// <summary>How long an open circuit sends nothing before one delivery tries the receiver again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the feed is polled when nothing wakes the dispatcher (alerts raised by another instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

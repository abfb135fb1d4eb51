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

    /// <summary>How often the feed is polled when nothing wakes the dispatcher (alerts raised by another instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Where and how <see cref="InfluxWriter"/> writes. Bind from configuration and validate at start-up
/// (<c>ValidateDataAnnotations().ValidateOnStart()</c>); <see cref="Validate"/> checks the settings
/// that depend on <see cref="ApiVersion"/>.
/// </summary>
/// <remarks>
/// v1 credentials are sent as an HTTP Basic <c>Authorization</c> header (InfluxDB 1.x accepts it
/// as an alternative to the <c>u</c>/<c>p</c> query parameters) so passwords never appear in URLs
/// or access logs.
/// </remarks>
public sealed class InfluxOptions : IValidatableObject
{
    public const string Section = "Influx";

    /// <summary>Base address of InfluxDB, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>1 for InfluxDB 1.x, 2 for InfluxDB 2.x.</summary>
    [EnumDataType(typeof(InfluxApiVersion))]
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>v1: the database (<c>db</c>). Required for v1.</summary>
    public string? Database { get; set; }

    /// <summary>v1: the retention policy (<c>rp</c>); empty for the database's default.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>v1: user name for Basic authentication; empty when authentication is off.</summary>
    public string? Username { get; set; }

    /// <summary>v1: password for Basic authentication.</summary>
    public string? Password { get; set; }

    /// <summary>v2: the organisation (<c>org</c>). Required for v2.</summary>
    public string? Org { get; set; }

    /// <summary>v2: the bucket. Required for v2.</summary>
    public string? Bucket { get; set; }

    /// <summary>v2: the API token, sent as <c>Authorization: Token &lt;token&gt;</c>. Required for v2.</summary>
    public string? Token { get; set; }

    /// <summary>Compress request bodies with gzip (<c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Points per request; a <see cref="PointBatcher"/> flushes when this many are pending.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>A batch is flushed at most this long after its first point arrived.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one HTTP request; a timeout is transient and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one <see cref="InfluxWriter.WriteAsync"/> keeps retrying transient failures before it
    /// returns <see cref="WriteOutcome.GaveUp"/> (nothing dropped; the caller retries later).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First back-off delay after a 5xx or network error; doubles per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest back-off delay (and the cap on a server's <c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is { IsAbsoluteUri: false } || Url is { Scheme: not ("http" or "https") })
        {
            yield return new("Url must be an absolute http:// or https:// address of InfluxDB.", [nameof(Url)]);
        }

        if (ApiVersion == InfluxApiVersion.V1)
        {
            if (string.IsNullOrWhiteSpace(Database))
            {
                yield return new("Database is required when ApiVersion is 1.", [nameof(Database)]);
            }

            if (!string.IsNullOrEmpty(Username) && Password is null)
            {
                yield return new("Password is required when Username is set.", [nameof(Password)]);
            }
        }
        else if (string.IsNullOrWhiteSpace(Org) || string.IsNullOrWhiteSpace(Bucket) || string.IsNullOrWhiteSpace(Token))
        {
            yield return new("Org, Bucket and Token are required when ApiVersion is 2.", [nameof(Org), nameof(Bucket), nameof(Token)]);
        }
    }
}

using Provenance.Storage.Ingestion;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Storage;
using Provenance.Storage.Journal;

namespace Provenance.Api.Alerts;

/// <summary>
/// Delivers alerts to the producer's webhook off the request path, in order, from a persisted cursor: each alert is
/// POSTed with a signed payload until the receiver answers 2xx, with exponential back-off between attempts
/// (honouring <c>Retry-After</c>), and a circuit breaker that stops calling a receiver that keeps failing for
/// <see cref="WebhookOptions.BreakDuration"/> while the alert waits, while the failure can heal (network errors, timeouts, 408, 429, 5xx). A refusal that
/// retrying will not change (any other 3xx or 4xx: a wrong URL, a wrong secret, a receiver that rejects the payload)
/// is permanent: the alert is kept as a dead letter (<c>webhook_rejected</c>, with the status and the receiver's
/// words) and delivery moves on to the next one. Restarts resume at the cursor, so receivers must be idempotent by
/// alert id.
/// </summary>
public sealed partial class WebhookDispatcher(
    IOptions<WebhookOptions> options, AlertStore alerts, AlertService signals, JournalStore cursors, IngestionWriter deadLetters, IHttpClientFactory http,
    TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public const string ClientName = "webhooks";
    public const string CursorName = "webhook-alerts";

    /// <summary>The Polly pipeline (retry and circuit breaker) on the <c>Polly</c> meter.</summary>
    public const string PipelineName = "alert-webhook";

    /// <summary>The dead-letter reason code of an alert the receiver refused for good.</summary>
    public const string RejectedReason = "webhook_rejected";

    /// <summary>The webhook sink's activity source: one <c>webhook.deliver</c> span per alert, its HTTP attempts as children.</summary>
    public static readonly ActivitySource ActivitySource = new("Provenance.Sinks.Webhooks");

    private long _delivered;
    private long _deadLettered;

    /// <summary>Alerts delivered since start.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Alerts the receiver refused for good since start (kept as dead letters).</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.Url))
        {
            return;
        }

        using var client = http.CreateClient(ClientName);
        client.Timeout = o.Timeout;
        var pipeline = WebhookRetry.Build(PipelineName, o.InitialBackoff, o.MaxBackoff, o.BreakAfterFailures, o.BreakDuration, time);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pending = alerts.List(new AlertQuery(After: cursors.Cursor(CursorName), Limit: 100));
                foreach (var alert in pending)
                {
                    var delivered = await DeliverAsync(client, pipeline, o, alert, stoppingToken).ConfigureAwait(false);
                    cursors.SetCursor(CursorName, alert.Id);
                    if (delivered)
                    {
                        Interlocked.Increment(ref _delivered);
                    }
                    else
                    {
                        Interlocked.Increment(ref _deadLettered);
                    }
                }

                if (pending.Count == 0)
                {
                    await signals.WaitForAlertAsync(o.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the cursor says where to resume.
        }
    }

    /// <summary>Delivers one alert; true when the receiver took it, false when it refused it for good (then it is a dead letter).</summary>
    private async Task<bool> DeliverAsync(HttpClient client, Polly.ResiliencePipeline<WebhookAttempt> pipeline, WebhookOptions o, StoredAlert alert, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(AlertDto.From(alert));
        Activity.Current = null;
        using var span = ActivitySource.StartActivity("webhook.deliver", ActivityKind.Client);
        span?.SetTag("provenance.alert.id", alert.Id);
        span?.SetTag("provenance.alert.kind", alert.Kind);
        var result = await SignedWebhookPost.SendAsync(
            client, o.Url!, o.Secret, body, [new("X-Provenance-Alert-Id", alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            pipeline, time,
            (status, attempt, error) =>
            {
                if (status is { } s)
                {
                    LogRejected(alert.Id, s, attempt);
                }
                else
                {
                    LogUnreachable(error, alert.Id, attempt);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (result.Delivered)
        {
            return true;
        }

        span?.SetStatus(ActivityStatusCode.Error, $"HTTP {result.Status}");
        deadLetters.AddDeadLetters([new DeadLetter(null, RejectedReason, $"HTTP {result.Status} from the webhook: {result.Said}", $"alert-{alert.Id}", body)]);
        LogDeadLettered(alert.Id, result.Status);
        return false;
    }

    [LoggerMessage(EventId = 7030, Level = LogLevel.Warning, Message = "Webhook refused alert {AlertId} with HTTP {Status}, which retrying cannot change; kept as a dead letter (webhook_rejected) and moving on")]
    private partial void LogDeadLettered(long alertId, int status);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Webhook rejected alert {AlertId} with HTTP {Status} (attempt {Attempt}); retrying with back-off")]
    private partial void LogRejected(long alertId, int status, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Webhook unreachable for alert {AlertId} (attempt {Attempt}); retrying with back-off")]
    private partial void LogUnreachable(Exception? exception, long alertId, int attempt);
}

using System.Net.Http.Headers;
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
/// (honouring <c>Retry-After</c>). Restarts resume at the cursor, so receivers must be idempotent by alert id.
/// </summary>
public sealed partial class WebhookDispatcher(
    IOptions<WebhookOptions> options, AlertStore alerts, AlertService signals, JournalStore cursors, IHttpClientFactory http, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public const string ClientName = "webhooks";
    public const string CursorName = "webhook-alerts";

    private long _delivered;

    /// <summary>Alerts delivered since start.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.Url))
        {
            return;
        }

        using var client = http.CreateClient(ClientName);
        client.Timeout = o.Timeout;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pending = alerts.List(new AlertQuery(After: cursors.Cursor(CursorName), Limit: 100));
                foreach (var alert in pending)
                {
                    await DeliverAsync(client, o, alert, stoppingToken).ConfigureAwait(false);
                    cursors.SetCursor(CursorName, alert.Id);
                    Interlocked.Increment(ref _delivered);
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

    private async Task DeliverAsync(HttpClient client, WebhookOptions o, StoredAlert alert, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(AlertDto.From(alert));
        var backoff = o.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, o.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(o.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
            request.Headers.TryAddWithoutValidation("X-Provenance-Alert-Id", alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
                LogRejected(alert.Id, (int)response.StatusCode, attempt);
            }
            catch (HttpRequestException e)
            {
                LogUnreachable(e, alert.Id, attempt);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogUnreachable(null, alert.Id, attempt);
            }

            var wait = retryAfter is { } r && r > backoff ? r : backoff;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(o.MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Webhook rejected alert {AlertId} with HTTP {Status} (attempt {Attempt}); retrying with back-off")]
    private partial void LogRejected(long alertId, int status, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Webhook unreachable for alert {AlertId} (attempt {Attempt}); retrying with back-off")]
    private partial void LogUnreachable(Exception? exception, long alertId, int attempt);
}

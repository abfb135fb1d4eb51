using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Storage.Rewards;

namespace Provenance.Api.Rewards;

/// <summary>
/// Sends payout instructions for approved redemptions to the producer's payment system (<c>Rewards:PayoutUrl</c>), in
/// approval order, off the request path: a signed POST (<see cref="SignedWebhookPost"/>, the alerts' signing,
/// retries and circuit breaker) with <c>Idempotency-Key</c>, retried until the receiver answers 2xx, which is recorded on the redemption as
/// its acknowledgement. A refusal for good (3xx, 4xx but 408/429) is recorded as <c>refused</c> with the receiver's
/// words, and delivery moves on. The queue is the database (payout state <c>pending</c>), so restarts resume it; run
/// one dispatcher per database. Thread-safe.
/// </summary>
public sealed partial class PayoutDispatcher(
    IOptions<RewardOptions> options, IOptions<WebhookOptions> webhooks, RedemptionStore redemptions, CampaignStore campaigns, IHttpClientFactory http, TimeProvider time, ILogger<PayoutDispatcher> logger)
    : BackgroundService
{
    public const string ClientName = "payouts";

    /// <summary>The Polly pipeline (retry and circuit breaker, sized by <c>Webhooks:BreakAfterFailures</c>/<c>BreakDuration</c>) on the <c>Polly</c> meter.</summary>
    public const string PipelineName = "payout-webhook";

    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Says a payout was queued, so it goes out now rather than at the next poll.</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.PayoutUrl))
        {
            return;
        }

        using var client = http.CreateClient(ClientName);
        client.Timeout = o.Timeout;
        var breaker = webhooks.Value;
        var pipeline = WebhookRetry.Build(PipelineName, o.InitialBackoff, o.MaxBackoff, breaker.BreakAfterFailures, breaker.BreakDuration, time);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pending = redemptions.PendingPayouts(100);
                foreach (var redemption in pending)
                {
                    await DeliverAsync(client, pipeline, o, redemption, stoppingToken).ConfigureAwait(false);
                }

                if (pending.Count == 0)
                {
                    await _wake.WaitAsync(o.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; pending payouts stay pending.
        }
    }

    private async Task DeliverAsync(HttpClient client, Polly.ResiliencePipeline<WebhookAttempt> pipeline, RewardOptions o, StoredRedemption redemption, CancellationToken cancellationToken)
    {
        var campaign = CampaignDefinition.FromJson(campaigns.Find(redemption.CampaignId)!.DefinitionJson);
        var instruction = PayoutInstruction.From(redemption, campaign);
        var body = JsonSerializer.SerializeToUtf8Bytes(instruction);
        var result = await SignedWebhookPost.SendAsync(
            client, o.PayoutUrl!, o.PayoutSecret, body,
            [new("Idempotency-Key", instruction.IdempotencyKey), new("X-Provenance-Redemption-Id", redemption.Id)],
            pipeline, time,
            (status, attempt, error) => LogRetrying(error, redemption.Id, status, attempt),
            cancellationToken).ConfigureAwait(false);
        redemptions.RecordPayout(redemption.Id, result.Delivered, result.Status, result.Attempts, result.Delivered ? null : result.Said, time.GetUtcNow());
        if (result.Delivered)
        {
            LogAcknowledged(redemption.Id, result.Status, result.Attempts);
        }
        else
        {
            LogRefused(redemption.Id, result.Status, result.Said);
        }
    }

    [LoggerMessage(EventId = 9710, Level = LogLevel.Warning, Message = "Payout of redemption {RedemptionId} not taken (HTTP {Status}, attempt {Attempt}); retrying with back-off")]
    private partial void LogRetrying(Exception? exception, string redemptionId, int? status, int attempt);

    [LoggerMessage(EventId = 9711, Level = LogLevel.Information, Message = "Payout of redemption {RedemptionId} acknowledged with HTTP {Status} after {Attempts} attempt(s)")]
    private partial void LogAcknowledged(string redemptionId, int status, int attempts);

    [LoggerMessage(EventId = 9712, Level = LogLevel.Error, Message = "Payout of redemption {RedemptionId} refused for good with HTTP {Status}: {Said}. It is recorded as refused; pay it by hand or fix the receiver")]
    private partial void LogRefused(string redemptionId, int status, string said);
}

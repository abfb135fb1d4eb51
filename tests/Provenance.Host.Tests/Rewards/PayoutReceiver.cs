using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provenance.Api.Alerts;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Rewards;

/// <summary>One payout instruction as the producer's payment system received it.</summary>
public sealed record ReceivedPayout(string? IdempotencyKey, string? RedemptionIdHeader, bool SignatureValid, JsonElement Body, int Answered)
{
    public string RedemptionId => Body.GetProperty("redemptionId").GetString()!;

    public string CampaignId => Body.GetProperty("campaignId").GetString()!;
}

/// <summary>
/// A real HTTP receiver on loopback playing the producer's payment system: it checks each payout's signature, records
/// every attempt, answers 503 to the first attempt for users whose id starts with <c>flaky-</c> (so retries show) and
/// 422 to every attempt for users whose id starts with <c>refuse-</c>.
/// </summary>
public sealed class PayoutReceiver : IAsyncDisposable
{
    public const string Secret = "payout-webhook-secret-0123";

    private WebApplication? _app;
    private readonly ConcurrentQueue<ReceivedPayout> _received = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0, int.MaxValue);

    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedPayout> Received => [.. _received];

    public static async Task<PayoutReceiver> StartAsync()
    {
        var receiver = new PayoutReceiver();
        receiver._app = await LoopbackApp.StartAsync(app => app.MapPost("/payouts", (Delegate)receiver.ReceiveAsync));
        receiver.Url = receiver._app.BaseUrl() + "/payouts";
        return receiver;
    }

    /// <summary>Waits until a payout attempt for <paramref name="redemptionId"/> was answered with <paramref name="status"/>; returns every attempt for it.</summary>
    public async Task<IReadOnlyList<ReceivedPayout>> WaitForAcknowledgedAsync(string redemptionId, int status = 200)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!_received.Any(p => p.RedemptionId == redemptionId && p.Answered == status))
        {
            await _arrived.WaitAsync(timeout.Token);
        }

        return [.. _received.Where(p => p.RedemptionId == redemptionId)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        var valid = WebhookSignature.Verify(Secret, context.Request.Headers[WebhookSignature.Header], buffer.ToArray(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var attempt = _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var user = body.GetProperty("userId").GetString()!;
        var status = user.StartsWith("refuse-", StringComparison.Ordinal) ? 422 : user.StartsWith("flaky-", StringComparison.Ordinal) && attempt == 1 ? 503 : 200;
        _received.Enqueue(new ReceivedPayout(key, context.Request.Headers["X-Provenance-Redemption-Id"].ToString(), valid, body, status));
        _arrived.Release();
        return status == 422 ? Results.Text("no such wallet", statusCode: 422) : Results.StatusCode(status);
    }
}

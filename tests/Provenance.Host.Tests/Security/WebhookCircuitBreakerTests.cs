using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provenance.Api.Alerts;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>The alert webhook's circuit breaker against a real Kestrel receiver on 127.0.0.1 that counts every request it gets.</summary>
public sealed class WebhookCircuitBreakerTests
{
    private const int BreakAfterFailures = 3;
    private const int Alerts = 3;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_no_request_during_the_break_and_then_every_alert_is_delivered_once_in_order()
    {
        var clock = Stopwatch.StartNew();
        var requests = new ConcurrentQueue<(TimeSpan At, long AlertId, int Status)>();
        var count = 0;
        var deliveredAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", (HttpContext context) =>
        {
            var id = long.Parse(context.Request.Headers["X-Provenance-Alert-Id"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var status = Interlocked.Increment(ref count) <= BreakAfterFailures ? 503 : 200;
            requests.Enqueue((clock.Elapsed, id, status));
            if (requests.Count(r => r.Status == 200) == Alerts)
            {
                deliveredAll.TrySetResult();
            }

            return Results.StatusCode(status);
        }));

        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        await node.StartAsync(
            $"--Webhooks:Url={receiver.BaseUrl()}/hook", "--Webhooks:Secret=webhook-secret-for-tests",
            "--Webhooks:InitialBackoff=00:00:00.05", "--Webhooks:MaxBackoff=00:00:00.1",
            $"--Webhooks:BreakAfterFailures={BreakAfterFailures}", $"--Webhooks:BreakDuration={BreakDuration}");
        var codes = new CodeAuthenticator(CodeKeyFile.Load(node.DataDirectory, new CodeOptions()));
        for (var i = 0; i < Alerts; i++)
        {
            await node.ScanAsync(codes.Sign(DigitalLink.ForTag(node.Authority, Gtin.Parse(ProvenanceNode.Gtin), Serial.Generate(), null, "http")));
        }

        await deliveredAll.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var seen = requests.ToArray();

        // Without the breaker the 50-100 ms back-off would have sent about twenty more requests during the break.
        Assert.Equal(BreakAfterFailures + Alerts, seen.Length);
        Assert.All(seen[..BreakAfterFailures], r => Assert.Equal(503, r.Status));
        var quiet = seen[BreakAfterFailures].At - seen[BreakAfterFailures - 1].At;
        Assert.True(quiet >= BreakDuration - TimeSpan.FromMilliseconds(100), $"the receiver was called again {quiet} after the circuit opened (break {BreakDuration})");

        // Nothing lost, nothing twice, the feed's order kept.
        var delivered = seen.Where(r => r.Status == 200).Select(r => r.AlertId).ToArray();
        Assert.Equal(Alerts, delivered.Distinct().Count());
        Assert.Equal(delivered.Order(), delivered);
        Assert.Equal(seen[0].AlertId, delivered[0]);

        var metrics = await node.Management.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => IsBreakerEvent(l, "OnCircuitOpened"));
        Assert.Contains(metrics.Split('\n'), l => IsBreakerEvent(l, "OnCircuitClosed"));
    }

    private static bool IsBreakerEvent(string line, string eventName) =>
        line.StartsWith("resilience_polly_strategy_events", StringComparison.Ordinal)
        && line.Contains($"event_name=\"{eventName}\"", StringComparison.Ordinal)
        && line.Contains($"pipeline_name=\"{WebhookDispatcher.PipelineName}\"", StringComparison.Ordinal);
}

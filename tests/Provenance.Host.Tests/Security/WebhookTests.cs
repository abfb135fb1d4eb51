using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provenance.Api.Alerts;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>The alert webhook against a real Kestrel receiver on 127.0.0.1 that verifies each signature.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task Alerts_reach_the_webhook_signed_and_are_retried_after_a_failure()
    {
        const string Secret = "webhook-secret-for-tests";
        var received = new ConcurrentQueue<(bool Valid, string Body)>();
        var attempts = 0;
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var valid = WebhookSignature.Verify(Secret, context.Request.Headers[WebhookSignature.Header], buffer.ToArray(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            received.Enqueue((valid, body));
            if (Interlocked.Increment(ref attempts) == 1)
            {
                return Results.StatusCode(503); // first delivery fails: the dispatcher must retry
            }

            delivered.TrySetResult(body);
            return valid ? Results.Ok() : Results.Unauthorized();
        }));
        var hook = receiver.BaseUrl() + "/hook";

        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        await node.StartAsync($"--Webhooks:Url={hook}", $"--Webhooks:Secret={Secret}", "--Webhooks:InitialBackoff=00:00:00.2");
        var codes = new CodeAuthenticator(CodeKeyFile.Load(node.DataDirectory, new CodeOptions()));
        var serial = Serial.Generate();
        await node.ScanAsync(codes.Sign(DigitalLink.ForTag(node.Authority, Gtin.Parse(ProvenanceNode.Gtin), serial, null, "http")));

        var body = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(serial, body, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"unknown\"", body, StringComparison.Ordinal);
        Assert.True(received.Count >= 2);
        Assert.All(received, r => Assert.True(r.Valid, r.Body));
        Assert.False(WebhookSignature.Verify("another-secret-entirely", received.First().Body, System.Text.Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task An_alert_the_webhook_refuses_with_a_4xx_is_sent_once_kept_as_a_dead_letter_and_the_next_alert_is_delivered()
    {
        const string Secret = "webhook-secret-for-tests";
        var attempts = new ConcurrentDictionary<string, int>();
        var second = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", (HttpContext context) =>
        {
            var id = context.Request.Headers["X-Provenance-Alert-Id"].ToString();
            if (attempts.AddOrUpdate(id, 1, (_, n) => n + 1) == 1 && attempts.Count == 1)
            {
                return Results.Text("{\"error\":\"unknown tenant\"}", "application/json", statusCode: 400);
            }

            second.TrySetResult(id);
            return Results.Ok();
        }));
        var hook = receiver.BaseUrl() + "/hook";

        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        await node.StartAsync($"--Webhooks:Url={hook}", $"--Webhooks:Secret={Secret}", "--Webhooks:InitialBackoff=00:00:00.2");
        var codes = new CodeAuthenticator(CodeKeyFile.Load(node.DataDirectory, new CodeOptions()));
        await node.ScanAsync(codes.Sign(DigitalLink.ForTag(node.Authority, Gtin.Parse(ProvenanceNode.Gtin), Serial.Generate(), null, "http")));
        await node.ScanAsync(codes.Sign(DigitalLink.ForTag(node.Authority, Gtin.Parse(ProvenanceNode.Gtin), Serial.Generate(), null, "http")));

        var delivered = await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var refused = Assert.Single(attempts.Keys, k => k != delivered);
        Assert.Equal(1, attempts[refused]);
        var health = await node.HealthAsync();
        Assert.Equal(1, health.GetProperty("deadLetters").GetProperty("webhook_rejected").GetInt64());
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provenance.Api.Alerts;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>A gateway sealing far off its plant reaches the producer's webhook (a real Kestrel receiver on loopback) as a signed origin alert.</summary>
public sealed class OriginAlertWebhookTests
{
    [Fact]
    public async Task A_gateway_sealing_off_site_is_pushed_to_the_webhook_as_a_signed_origin_alert()
    {
        const string Secret = "origin-webhook-secret-1234";
        var origin = new TaskCompletionSource<(bool Valid, JsonElement Alert)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackApp.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var alert = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            if (alert.GetProperty("kind").GetString() == AlertService.OriginNotAttested)
            {
                origin.TrySetResult((WebhookSignature.Verify(Secret, context.Request.Headers[WebhookSignature.Header], buffer.ToArray(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), alert));
            }

            return Results.Ok();
        }));
        var hook = receiver.BaseUrl() + "/hook";

        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(3);
        await node.StartAsync($"--Webhooks:Url={hook}", $"--Webhooks:Secret={Secret}", "--OriginAlerts:PollInterval=00:00:00.100");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls, key) with { OffSite = true }, TimeSpan.FromSeconds(60));

        var (valid, alert) = await origin.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(valid, "the webhook signature does not verify");
        var detail = alert.GetProperty("detail");
        Assert.Equal(gateway.GatewayId, detail.GetProperty("gatewayId").GetString());
        Assert.Contains("outside_geofence", detail.GetProperty("failures").EnumerateArray().Select(f => f.GetString()));
        Assert.True(detail.GetProperty("distanceM").GetDouble() > 49_000);
        Assert.False(detail.GetProperty("benign").GetBoolean());
    }
}

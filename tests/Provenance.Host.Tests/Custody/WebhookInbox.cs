using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Provenance.Api.Alerts;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Custody;

/// <summary>
/// The producer's webhook receiver: a real Kestrel app on loopback port 0 that keeps every alert POSTed to it and
/// whether its signature verified. Tests wait for an alert by predicate (woken by each delivery, never by a timer).
/// </summary>
public sealed class WebhookInbox : IAsyncDisposable
{
    public const string Secret = "custody-webhook-secret-1234";

    private readonly Lock _gate = new();
    private readonly List<(bool Signed, JsonElement Alert)> _received = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public string Url { get; private set; } = string.Empty;

    public async Task StartAsync()
    {
        _app = await LoopbackApp.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var signed = WebhookSignature.Verify(Secret, context.Request.Headers[WebhookSignature.Header], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            lock (_gate)
            {
                _received.Add((signed, JsonDocument.Parse(body).RootElement.Clone()));
                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return Results.Ok();
        }));
        Url = _app.BaseUrl() + "/hook";
    }

    /// <summary>Every alert delivered so far, with whether its signature verified.</summary>
    public IReadOnlyList<(bool Signed, JsonElement Alert)> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The first delivered alert that matches, waiting for deliveries until it comes (30 s at most).</summary>
    public async Task<(bool Signed, JsonElement Alert)> WaitForAsync(Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _received.FirstOrDefault(r => match(r.Alert));
                if (found.Alert.ValueKind != JsonValueKind.Undefined)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

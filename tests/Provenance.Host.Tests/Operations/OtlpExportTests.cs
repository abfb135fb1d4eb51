using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Operations;

/// <summary>Issue 17: traces go over OTLP when (and only when) a collector is configured.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_the_node_posts_its_spans_as_protobuf_to_the_collectors_traces_path()
    {
        await using var collector = await Collector.StartAsync();
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Otlp:Endpoint"] = collector.Url,
            ["OpenTelemetry:Otlp:Protocol"] = "http/protobuf",
        });

        // A request on the public listener is a server span; the batch exporter sends it within its schedule (5 s).
        using var response = await node.Http.GetAsync("/api/no-such-route");
        var traces = await collector.WaitForAsync("/v1/traces", TimeSpan.FromSeconds(60));

        Assert.Equal("application/x-protobuf", traces.ContentType);
        Assert.Contains("provenance", Encoding.UTF8.GetString(traces.Body), StringComparison.Ordinal);
        Assert.Empty(node.Errors);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_no_tracer_provider_runs_so_spans_cost_nothing()
    {
        await using var node = await InProcessNode.StartAsync();

        Assert.Null(node.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(node.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    private sealed record Received(string Path, string? ContentType, byte[] Body);

    /// <summary>A stand-in OTLP/HTTP collector on a free loopback port that keeps what it is sent.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly BlockingCollection<Received> _received;

        private Collector(WebApplication app, BlockingCollection<Received> received) => (_app, _received) = (app, received);

        public string Url => _app.BaseUrl();

        public static async Task<Collector> StartAsync()
        {
            var received = new BlockingCollection<Received>();
            var app = await LoopbackApp.StartAsync(
                app => app.MapPost("/v1/{signal}", async (HttpRequest request) =>
                {
                    using var body = new MemoryStream();
                    await request.Body.CopyToAsync(body);
                    received.Add(new Received(request.Path, request.ContentType, body.ToArray()));
                    return Results.Ok();
                }),
                quiet: true);
            return new Collector(app, received);
        }

        public async Task<Received> WaitForAsync(string path, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            return await Task.Run(() => _received.GetConsumingEnumerable(cts.Token).First(r => r.Path == path), cts.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _received.Dispose();
        }
    }
}

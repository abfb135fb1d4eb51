using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provenance.Host.Composition;
using Provenance.Ingestion.Broker;
using Provenance.Storage;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// The whole product composed in the test process, exactly as <c>serve</c> composes it, listening on free loopback
/// ports (public, management, MQTT) with a temporary data directory: for tests that need to look inside — the endpoint
/// data source, the stores — while talking to a real Kestrel over real sockets. Errors logged by the app are collected.
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("prov-inproc");
    private readonly ErrorLog _errors = new();
    private WebApplication? _app;

    private InProcessNode()
    {
        HttpPort = FreePort.Next();
        ManagementPort = FreePort.Next();
        Http = Client(HttpPort);
        Management = Client(ManagementPort);
    }

    public int HttpPort { get; }

    public int ManagementPort { get; }

    /// <summary>An anonymous client of the public listener.</summary>
    public HttpClient Http { get; }

    /// <summary>An anonymous client of the management listener.</summary>
    public HttpClient Management { get; }

    public IServiceProvider Services => _app!.Services;

    public string DataDirectory => _dir.Combine("data");

    /// <summary>Errors (and worse) the app logged since start.</summary>
    public IReadOnlyCollection<string> Errors => _errors.Entries;

    /// <summary>Every route endpoint the app maps.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints => [.. Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>Starts a node; <paramref name="settings"/> override configuration (rate limits are out of the way unless given).</summary>
    public static async Task<InProcessNode> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = new InProcessNode();
        var configuration = new Dictionary<string, string?>
        {
            ["Provenance:DataDirectory"] = node.DataDirectory,
            ["Broker:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Management:Url"] = $"http://127.0.0.1:{node.ManagementPort}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in TestStorage.EnvironmentFor(node.DataDirectory))
        {
            configuration[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        foreach (var unlimited in ProvenanceNode.Unlimited)
        {
            var (key, value) = (unlimited[2..unlimited.IndexOf('=', StringComparison.Ordinal)], unlimited[(unlimited.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        node._app = ProvenanceApp.Build([$"--urls=http://127.0.0.1:{node.HttpPort}"], configuration);
        node._app.Services.GetRequiredService<ILoggerFactory>().AddProvider(node._errors);
        await node._app.StartAsync();
        return node;
    }

    /// <summary>
    /// Waits until ingestion's MQTT subscriber holds its subscription (granted by the broker), so a gateway's publish from
    /// then on finds a subscriber. It asks the subscriber itself rather than polling <c>/health/ready</c>: an unhealthy
    /// readiness answer is logged as an error, which tests asserting an error-free run would then see.
    /// </summary>
    public async Task WaitSubscribedAsync(TimeSpan? within = null)
    {
        var subscriber = Services.GetRequiredService<MqttSubscriber>();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        while (!subscriber.IsConnected)
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"ingestion's MQTT subscriber did not connect and subscribe: {subscriber.Connection.LastError ?? "no error reported yet"}");
            }
        }
    }

    /// <summary>Creates an API key straight in the store (set-up, not the behaviour under test) and returns its id and secret.</summary>
    public (string Id, string Secret) CreateKey(string role, string? distributorId = null) =>
        Services.GetRequiredService<ApiKeyStore>().Create(role, distributorId, $"test {role}");

    /// <summary>A client of the public listener that sends <paramref name="key"/> as a bearer token.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = Client(HttpPort);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Http.Dispose();
        Management.Dispose();
        _dir.Dispose();
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Collects what the app logs at Error or above.</summary>
    private sealed class ErrorLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public IReadOnlyCollection<string> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    entries.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}

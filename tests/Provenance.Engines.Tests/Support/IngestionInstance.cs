using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// One <c>provenance serve</c> child process on a data directory (possibly shared with another instance) and its own
/// free HTTP port, with an optional environment (a shared PostgreSQL database's settings). <see cref="Kill"/> is SIGKILL
/// by process handle; <see cref="StartAsync"/> may run again afterwards.
/// </summary>
internal sealed class IngestionInstance : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _workDirectory;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IDictionary<string, string>? _environment;

    public IngestionInstance(string dataDirectory, string workDirectory, IEnumerable<string> arguments, int? httpPort = null, IDictionary<string, string>? environment = null)
    {
        _dataDirectory = dataDirectory;
        _workDirectory = workDirectory;
        _arguments = [.. arguments];
        _environment = environment;
        HttpPort = httpPort ?? FreePort.Next();
        ManagementPort = FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int HttpPort { get; }

    public HttpClient Http { get; }

    /// <summary>The management listener's port and client (health details, metrics).</summary>
    public int ManagementPort { get; }

    public HttpClient Management { get; }

    public ChildProcess? Process { get; private set; }

    /// <summary>Starts <c>serve</c> and waits until <c>/health/ready</c> (or, with <paramref name="untilReady"/> false, <c>/health/live</c>) answers 200.</summary>
    public async Task StartAsync(bool untilReady = true)
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        Process = ChildProcess.StartDll(
            RepositoryPaths.HostDll,
            ["serve", "--data", _dataDirectory, "--urls", $"http://127.0.0.1:{HttpPort}", $"--Management:Url=http://127.0.0.1:{ManagementPort}", .. ProvenanceNode.Unlimited, .. _arguments],
            _workDirectory,
            _environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(Process.HasExited, $"provenance serve exited early:\n{Process.Output}");
            try
            {
                using var response = await Http.GetAsync(untilReady ? "/health/ready" : "/health/live", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>SIGKILL: a crash, no shutdown hooks.</summary>
    public void Kill() => Process?.Kill();

    /// <summary>SIGTERM: a graceful stop (ingestion disconnects and keeps its broker session).</summary>
    public async Task StopAsync() => await Process!.TerminateAsync(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Polls <c>/health/ready</c> until its HTTP status is <paramref name="status"/> (200 or 503) and returns the body;
    /// the condition is what the caller waits for, the deadline only bounds a broken run.
    /// </summary>
    public async Task<JsonElement> WaitForReadinessAsync(int status, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var last = string.Empty;
        while (true)
        {
            using (var response = await Http.GetAsync("/health/ready", cts.Token))
            {
                last = await response.Content.ReadAsStringAsync(cts.Token);
                if ((int)response.StatusCode == status)
                {
                    return JsonDocument.Parse(last).RootElement.Clone();
                }
            }

            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"/health/ready did not answer {status} within {timeout}; last answer: {last}");
            }
        }
    }

    public async Task<JsonElement> HealthAsync() => await Management.GetFromJsonAsync<JsonElement>("/health");

    /// <summary>Polls <c>/health</c> until every sink's lag is 0 and nothing waits unacknowledged; returns the last answer.</summary>
    public async Task<JsonElement> WaitForDrainedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var health = await HealthAsync();
            var lags = health.GetProperty("journal").GetProperty("lag").EnumerateObject().ToList();
            if (lags.All(l => l.Value.GetInt64() == 0) && health.GetProperty("ingestion").GetProperty("unacknowledged").GetInt32() == 0)
            {
                return health;
            }

            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the journal did not drain within {timeout}: {health}\n{Process?.Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        Http.Dispose();
        Management.Dispose();
    }
}

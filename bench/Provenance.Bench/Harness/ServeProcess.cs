using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Provenance.Bench.Harness;

/// <summary>
/// <c>provenance serve</c> as a child process on free ports with its own data directory: embedded MQTT broker,
/// ingestion, ledger and scan API. Stopped (this process only) on dispose.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ServeProcess(Process process, int httpPort, int mqttPort, int managementPort)
    {
        _process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        ManagementPort = managementPort;
    }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public int Pid => _process.Id;

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    /// <summary>The management listener: <c>/health</c> with its details (journal lag, ingestion totals), <c>/metrics</c>.</summary>
    public int ManagementPort { get; }

    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort}";

    public static Task<ServeProcess> StartAsync(string dataDirectory, params string[] extra) => StartAsync(dataDirectory, NodeStorage.Sqlite, extra);

    /// <summary>Starts <c>serve</c> on <paramref name="dataDirectory"/> with its state where <paramref name="storage"/> says.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, NodeStorage storage, params string[] extra)
    {
        var http = FreePort.Next();
        var mqtt = FreePort.Next();
        var management = FreePort.Next();
        var info = new ProcessStartInfo(RepoPaths.Provenance)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var a in (string[])
        [
            "serve", "--data", dataDirectory, "--urls", $"http://127.0.0.1:{http}",
            $"--Broker:Port={mqtt}", $"--Mqtt:Port={mqtt}", $"--Management:Url=http://127.0.0.1:{management}", "--Api:PublicScansPerMinute=2000000000",
            "--Api:ScansPerCodePerMinute=2000000000", "--Api:ScansPerCodePerClientPerMinute=2000000000", "--Api:ApiRequestsPerMinute=2000000000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. extra,
        ])
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in storage.Environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start provenance serve");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"  [serve] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new ServeProcess(process, http, mqtt, management);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"provenance serve exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(serve.BaseUrl + "/health/live"));
                if (response.IsSuccessStatusCode)
                {
                    return serve;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await serve.DisposeAsync();
        throw new TimeoutException("provenance serve did not become live within 60 s");
    }

    public double PeakRssMiB() => ProcStatus.PeakRssMiB(_process.Id);

    /// <summary>Waits until the journal's <paramref name="sink"/> cursor has taken every entry (from <c>/health</c> on the management listener).</summary>
    public async Task WaitForSinkAsync(string sink, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(ManagementUrl) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative), deadline.Token));
            if (health.RootElement.GetProperty("journal").GetProperty("lag").GetProperty(sink).GetInt64() == 0)
            {
                return;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

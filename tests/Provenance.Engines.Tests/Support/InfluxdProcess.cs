using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// A real influxd 1.x on 127.0.0.1 (free ports, temporary directory, auth off) that can be stopped and started again
/// on the same ports and data directory, to make an outage. (The Ingestion tests' InfluxdServer cannot restart: its
/// process and directory are private.) Dispose kills it by its process handle and removes the directory.
/// </summary>
internal sealed class InfluxdProcess : IAsyncDisposable
{
    public const string Database = "prov";

    private readonly TempDirectory _dir = new("prov-influxd");
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _config;
    private Process? _process;

    private InfluxdProcess(int httpPort, int rpcPort, bool authEnabled = false)
    {
        Url = new Uri($"http://127.0.0.1:{httpPort}/");
        _config = _dir.Combine("influxdb.conf");
        File.WriteAllText(_config, Provenance.Ingestion.Tests.Support.InfluxdConfig.Text(_dir.Path, httpPort, rpcPort, authEnabled));
    }

    public Uri Url { get; }

    /// <summary>The host's arguments that enable the time-series sink against this server.</summary>
    public IReadOnlyList<string> HostArguments => [$"--Influx:Url={Url}", $"--Influx:Database={Database}"];

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>A server with authentication on and no user yet (as a fresh package install after enabling auth).</summary>
    public static async Task<InfluxdProcess> StartWithAuthAsync()
    {
        var server = new InfluxdProcess(FreePort.Next(), FreePort.Next(), authEnabled: true);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Runs InfluxQL as <paramref name="user"/> (Basic auth), or without credentials; returns the HTTP status and body.</summary>
    public async Task<(int Status, string Body)> QueryAsAsync(string statement, string? user = null, string? password = null, string? database = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Url, database is null ? "query" : $"query?db={database}"))
        {
            Content = new FormUrlEncodedContent([new("q", statement)]),
        };
        if (user is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<InfluxdProcess> StartAsync()
    {
        var server = new InfluxdProcess(FreePort.Next(), FreePort.Next());
        await server.StartAgainAsync();
        await server.QueryAsync($"CREATE DATABASE {Database}");
        return server;
    }

    /// <summary>Starts influxd (again) on the same ports and data directory and waits for <c>/ping</c>.</summary>
    public async Task StartAgainAsync()
    {
        var exe = ProcessRunner.Require("influxd", "Install it: apt-get install influxdb (eng/install-deps.sh does).");
        _process = new Process { StartInfo = new ProcessStartInfo(exe, ["-config", _config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(Url, "ping"));
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"influxd did not answer /ping within 30 s:\n{Log}");
    }

    /// <summary>Stops influxd the way a service manager does (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("influxd is not running");
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.Describe("kill -TERM influxd"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        process.Dispose();
        _process = null;
    }

    /// <summary>Runs InfluxQL through <c>POST /query</c>; fails on an error.</summary>
    public async Task<JsonElement> QueryAsync(string statement)
    {
        using var content = new FormUrlEncodedContent([new("q", statement)]);
        using var response = await _http.PostAsync(new Uri(Url, $"query?db={Database}&epoch=ns"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !body.Contains("\"error\"", StringComparison.Ordinal), $"influxd query '{statement}' failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The single number a <c>SELECT count(...)</c> answers (0 when the measurement is empty).</summary>
    public async Task<long> ScalarAsync(string statement)
    {
        var result = (await QueryAsync(statement)).GetProperty("results")[0];
        return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
    }

    /// <summary>Every value of one string field of a measurement, in time order.</summary>
    public async Task<IReadOnlyList<string>> StringFieldAsync(string measurement, string field)
    {
        var result = (await QueryAsync($"SELECT \"{field}\" FROM \"{measurement}\"")).GetProperty("results")[0];
        return result.TryGetProperty("series", out var series)
            ? series[0].GetProperty("values").EnumerateArray().Select(v => v[1].GetString()!).ToList()
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}

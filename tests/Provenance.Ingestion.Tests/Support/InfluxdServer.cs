using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Provenance.Ingestion.Tests.Support;

/// <summary>
/// A real influxd 1.x started on 127.0.0.1 with free ports and a temporary directory, with one
/// database created; killed and deleted on dispose. With <c>authEnabled</c> an admin user is created
/// first (InfluxDB allows that one unauthenticated statement) and queries use it.
/// </summary>
public class InfluxdServer : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "s3cret-admin";

    private readonly bool authEnabled;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "influxd-test-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder output = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? process;

    protected InfluxdServer(bool authEnabled) => this.authEnabled = authEnabled;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public string Database { get; } = "provenance_test";

    public string Log
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        var httpPort = FreePort.Next();
        var rpcPort = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{httpPort}/");
        var config = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, InfluxdConfig.Text(directory, httpPort, rpcPort, authEnabled));
        var start = new ProcessStartInfo("influxd", ["-config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("influxd did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await WaitForPingAsync();
        if (authEnabled)
        {
            await QueryAsync($"CREATE USER {AdminUser} WITH PASSWORD '{AdminPassword}' WITH ALL PRIVILEGES", authenticate: false);
        }

        await QueryAsync($"CREATE DATABASE {Database}");
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        http.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the temp directory is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs InfluxQL through <c>POST /query</c> and returns the JSON answer; fails on an error.</summary>
    public async Task<JsonElement> QueryAsync(string statement, bool authenticate = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Url, $"query?db={Database}&epoch=ns"))
        {
            Content = new FormUrlEncodedContent([new("q", statement)]),
        };
        if (authEnabled && authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"influxd query '{statement}' failed: {(int)response.StatusCode} {body}\n{Log}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The number of points in <paramref name="measurement"/> with a value for <paramref name="field"/>.</summary>
    public async Task<long> CountAsync(string measurement, string field)
    {
        var result = await QueryAsync($"SELECT count(\"{field}\") FROM \"{measurement}\"");
        var statement = result.GetProperty("results")[0];
        return statement.TryGetProperty("series", out var series)
            ? series[0].GetProperty("values")[0][1].GetInt64()
            : 0;
    }

    /// <summary>All rows of a measurement as column name → value.</summary>
    public async Task<IReadOnlyList<Dictionary<string, JsonElement>>> RowsAsync(string measurement)
    {
        var result = await QueryAsync($"SELECT * FROM \"{measurement}\"");
        var statement = result.GetProperty("results")[0];
        if (!statement.TryGetProperty("series", out var series))
        {
            return [];
        }

        var columns = series[0].GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return series[0].GetProperty("values").EnumerateArray()
            .Select(row => columns.Zip(row.EnumerateArray()).ToDictionary(p => p.First, p => p.Second))
            .ToArray();
    }

    private async Task WaitForPingAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with {process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "ping"), deadline.Token);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"influxd did not answer /ping within 30 s:\n{Log}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

/// <summary>influxd with authentication off.</summary>
public sealed class InfluxdFixture() : InfluxdServer(authEnabled: false);

/// <summary>influxd with authentication on and an admin user.</summary>
public sealed class InfluxdAuthFixture() : InfluxdServer(authEnabled: true);

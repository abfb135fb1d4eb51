using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Provenance.Deploy.Tests;

/// <summary>A real mosquitto process on 127.0.0.1 started from a configuration file.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoBroker(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<MosquittoBroker> StartAsync(string configPath, int port)
    {
        var exe = ProcessRunner.Require("mosquitto", "Install it: apt-get install mosquitto (eng/install-deps.sh does).");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configPath);
        var process = new Process { StartInfo = psi };
        var broker = new MosquittoBroker(process, port);
        process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode} at start-up:\n{broker.Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        await broker.DisposeAsync();
        throw new TimeoutException($"mosquitto did not listen on 127.0.0.1:{port} within 15 s:\n{broker.Log}");
    }

    /// <summary>Stops the broker the way systemd/docker do (SIGTERM) and waits for it to exit.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"mosquitto had already exited ({_process.ExitCode}):\n{Log}");
        }

        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException(kill.Describe("kill -TERM"));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Provenance.Testing;

/// <summary>
/// A real mosquitto process started from a configuration file that listens on 127.0.0.1: start returns once the port
/// accepts connections; the log (stdout and stderr) is kept for failure messages; dispose kills it.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoProcess(Process process, int port)
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

    /// <summary>Starts mosquitto with <paramref name="configPath"/> and waits until it listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<MosquittoProcess> StartAsync(string configPath, int port)
    {
        var psi = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configPath);
        var process = new Process { StartInfo = psi };
        var broker = new MosquittoProcess(process, port);
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
                // Not listening yet: the process is alive, so poll the port again shortly.
                await Task.Delay(25);
            }
        }

        await broker.DisposeAsync();
        throw new TimeoutException($"mosquitto did not listen on 127.0.0.1:{port} within 15 s:\n{broker.Log}");
    }

    /// <summary>Stops the broker the way systemd/docker do (SIGTERM, so it writes its persistence file) and waits for it to exit.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"mosquitto had already exited ({_process.ExitCode}):\n{Log}");
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}");
            }
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

    private static string Executable()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "mosquitto"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed. Install it: apt-get install mosquitto (eng/install-deps.sh does).");
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

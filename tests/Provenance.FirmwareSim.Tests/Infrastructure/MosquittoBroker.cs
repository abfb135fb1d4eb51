using System.Diagnostics;
using System.Globalization;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>
/// A real mosquitto (<c>/usr/sbin/mosquitto</c>) as a child process: listener on 127.0.0.1 only, anonymous access (or one user from a password file),
/// persistence in a temporary directory. Start waits for its "running" log line; dispose kills it.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/mosquitto";
    private readonly string _directory;
    private readonly string _config;
    private Process? _process;

    private MosquittoBroker(int port, (string User, string Password)? account = null)
    {
        Port = port;
        _directory = Directory.CreateTempSubdirectory("fwsim-mosquitto-").FullName;
        // mosquitto started as root drops to its own user, which must be able to write the persistence file.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)Convert.ToInt32("777", 8));
        }

        _config = Path.Combine(_directory, "mosquitto.conf");
        var access = "allow_anonymous true";
        if (account is { } a)
        {
            // mosquitto_passwd writes the salted hash mosquitto itself reads (as the shipped add-gateway.sh does).
            var passwords = Path.Combine(_directory, "passwd");
            using (var tool = Process.Start("mosquitto_passwd", ["-b", "-c", passwords, a.User, a.Password])!)
            {
                tool.WaitForExit();
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwords, (UnixFileMode)Convert.ToInt32("644", 8));
            }

            access = $"allow_anonymous false\npassword_file {passwords}";
        }

        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            listener {port} 127.0.0.1
            {access}
            persistence true
            persistence_location {_directory}/
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """) + "\n");
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(int? port = null, (string User, string Password)? account = null)
    {
        var broker = new MosquittoBroker(port ?? FreePort.Next(), account);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts (or restarts) the broker process and waits until it is listening.</summary>
    public async Task StartAsync()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(Executable, ["-c", _config])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        }

        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException("mosquitto exited: " + string.Join(" | ", log)));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await running.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>Stops the broker with SIGTERM so it writes its persistence file, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}

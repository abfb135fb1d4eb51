using System.Diagnostics;
using System.Globalization;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>
/// A real mosquitto (<c>/usr/sbin/mosquitto</c>) as a child process: listener on 127.0.0.1 only, anonymous access (or one user from a password file),
/// persistence in a temporary directory, run by <see cref="MosquittoProcess"/>; it can be stopped and started again on the same port.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private MosquittoProcess? _process;

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
    public async Task StartAsync() => _process = await MosquittoProcess.StartAsync(_config, Port);

    /// <summary>Stops the broker with SIGTERM so it writes its persistence file, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await _process.StopGracefullyAsync();
        await _process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}

using System.Diagnostics;
using System.Net.Sockets;

namespace Provenance.Bench.Harness;

/// <summary>A mosquitto broker started by the bench on a free 127.0.0.1 port with a temporary directory; stopped on dispose.</summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private MosquittoProcess(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static string Executable => File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    public static async Task<MosquittoProcess> StartAsync()
    {
        var directory = new TempDirectory("bench-mosquitto-");
        var port = FreePort.Next();
        var config = directory.Combine("mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            set_tcp_nodelay true
            max_queued_messages 0
            max_inflight_messages 0
            log_dest none

            """);
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start mosquitto");
        var broker = new MosquittoProcess(process, directory, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return broker;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await broker.DisposeAsync();
        throw new TimeoutException("mosquitto did not listen within 10 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}

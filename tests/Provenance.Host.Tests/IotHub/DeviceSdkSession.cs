using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>
/// Microsoft's Node device SDK kept connected (tests/iothub-js/device.mjs, action <c>live</c>): each event it prints
/// (twin, reported, ready, desired, method, c2d, done) is read as it happens, so a test waits on events, not time.
/// </summary>
internal sealed class DeviceSdkSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonNode> _events = Channel.CreateUnbounded<JsonNode>();
    private readonly List<string> _seen = [];
    private readonly Task _reader;
    private readonly Task<string> _stderr;

    private DeviceSdkSession(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static async Task<DeviceSdkSession> StartAsync(JsonObject scenario)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "iothub-js");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "azure-iot-device-mqtt")), "the Azure IoT device SDK is not installed: run 'npm ci' in tests/iothub-js (./test.sh does it)");
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        info.ArgumentList.Add("device.mjs");
        scenario["action"] = "live";
        var session = new DeviceSdkSession(Process.Start(info)!);
        await session._process.StandardInput.WriteLineAsync(scenario.ToJsonString());
        await session._process.StandardInput.FlushAsync();
        return session;
    }

    /// <summary>Waits for the next event named <paramref name="name"/> that matches; fails on the device's 'done' or after a minute.</summary>
    public async Task<JsonNode> NextAsync(string name, Func<JsonNode, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(timeout.Token);
                var kind = e["event"]?.GetValue<string>();
                if (kind == name && (match is null || match(e)))
                {
                    return e;
                }

                Assert.False(kind == "done", $"the device SDK stopped before '{name}': {e.ToJsonString()}\n{Seen()}");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            Assert.Fail($"no '{name}' event from the device SDK; it printed:\n{Seen()}\n{(_process.HasExited ? await _stderr : string.Empty)}");
            throw;
        }
    }

    /// <summary>Closes the SDK client and waits for its last event.</summary>
    public async Task<JsonNode> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        _process.StandardInput.Close();
        return await NextAsync("done");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _reader;
            _process.Dispose();
        }
    }

    private string Seen()
    {
        lock (_seen)
        {
            return string.Join('\n', _seen);
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_seen)
            {
                _seen.Add(line);
            }

            if (line.StartsWith('{'))
            {
                _events.Writer.TryWrite(JsonNode.Parse(line)!);
            }
        }

        _events.Writer.TryComplete();
    }
}

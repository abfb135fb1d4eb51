using System.Diagnostics;
using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>The ingestion baseline's <see cref="CountingSubscriber"/>, run as a child <c>provenance-bench</c> process; stopped on dispose.</summary>
public sealed class CounterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CounterProcess(Process process) => _process = process;

    public static async Task<CounterProcess> StartAsync(int port, int batch)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(CounterProcess).Assembly.Location);
        }

        info.ArgumentList.Add(CountingSubscriber.ChildVerb);
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(batch.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the counting subscriber");
        var counter = new CounterProcess(process);
        await counter.ExpectAsync("ready");
        return counter;
    }

    /// <summary>Restarts the count (call just before the publishers start).</summary>
    public async Task ResetAsync()
    {
        await _process.StandardInput.WriteLineAsync("reset");
        await ExpectAsync("ok");
    }

    /// <summary>Events and messages per second over the steady window (after <paramref name="warmup"/>).</summary>
    public async Task<(double EventsPerSecond, double MessagesPerSecond, long Events)> RatesAsync(TimeSpan warmup)
    {
        await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"rates {warmup.TotalSeconds}"));
        var line = await ReadLineAsync();
        var parts = line.Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ExpectAsync(string expected)
    {
        var line = await ReadLineAsync();
        if (line != expected)
        {
            throw new InvalidOperationException($"counting subscriber said '{line}', expected '{expected}'");
        }
    }

    private async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"counting subscriber ended (exit {(_process.HasExited ? _process.ExitCode : -1)})");
    }
}

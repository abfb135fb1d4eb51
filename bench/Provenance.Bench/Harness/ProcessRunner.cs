using System.Diagnostics;
using System.Text;

namespace Provenance.Bench.Harness;

/// <summary>Runs a child process to completion, sampling its peak RSS while it runs.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? stdoutFile = null, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = stdoutFile is null ? process.StandardOutput.ReadToEndAsync(cancellationToken) : DrainAsync(process.StandardOutput, stdoutFile, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var peak = 0.0;
        while (!process.HasExited)
        {
            var hwm = ProcStatus.PeakRssMiB(process.Id);
            if (!double.IsNaN(hwm))
            {
                peak = Math.Max(peak, hwm);
            }

            await Task.WhenAny(process.WaitForExitAsync(cancellationToken), Task.Delay(20, cancellationToken));
        }

        await process.WaitForExitAsync(cancellationToken);
        clock.Stop();
        return new ProcessResult(process.ExitCode, await stdout, await stderr, clock.Elapsed, peak);
    }

    /// <summary>Runs and throws with the output when the exit code is not 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = arguments.ToList();
        var result = await RunAsync(fileName, list, workingDirectory, null, cancellationToken, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', list)} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        return result;
    }

    private static async Task<string> DrainAsync(StreamReader reader, string path, CancellationToken cancellationToken)
    {
        await using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var buffer = new char[1 << 16];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return string.Empty;
    }
}

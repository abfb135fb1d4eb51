using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// A child process (dotnet DLL) whose stdout and stderr lines are collected and can be awaited. Dispose kills it
/// (SIGKILL) if it still runs.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly Lock _gate = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    /// <summary>
    /// A <c>serve</c> that does not choose its management listener would take the default 127.0.0.1:9464, which another
    /// test's node may hold: give it a free port of its own, unless the test sets one.
    /// </summary>
    private static List<string> WithOwnManagementPort(List<string> args, IDictionary<string, string>? environment)
    {
        var chosen = args.Any(a => a.StartsWith("--Management:Url", StringComparison.Ordinal))
            || (environment?.Keys.Any(k => k.EndsWith("Management__Url", StringComparison.Ordinal)) ?? false);
        if (args.FirstOrDefault() == "serve" && !chosen)
        {
            args.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--Management:Url=http://127.0.0.1:{FreePort.Next()}"));
        }

        return args;
    }

    /// <summary>The data directory a <c>provenance</c> command line names (<c>--data DIR</c>, or <c>Provenance__DataDirectory</c>).</summary>
    private static string? DataDirectoryOf(List<string> args, IDictionary<string, string>? environment)
    {
        var at = args.IndexOf("--data");
        if (at >= 0 && at + 1 < args.Count)
        {
            return args[at + 1];
        }

        return environment is not null && environment.TryGetValue("Provenance__DataDirectory", out var directory) ? directory : null;
    }

    /// <summary>Starts <c>dotnet DLL ARGS</c>; with <paramref name="fileLimit"/>, under <c>prlimit</c> with that many open files (soft and hard).</summary>
    public static ChildProcess StartDll(string dll, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null, int? fileLimit = null)
    {
        var info = new ProcessStartInfo(fileLimit is null ? "dotnet" : "prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (fileLimit is { } limit)
        {
            // prlimit sets the limit and then execs the command: the child is the dotnet process itself.
            info.ArgumentList.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--nofile={limit}:{limit}"));
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(dll);
        args = WithOwnManagementPort(args.ToList(), environment);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var data = DataDirectoryOf([.. args], environment) is { } named ? Path.GetFullPath(named, info.WorkingDirectory) : null;
        if (data is not null)
        {
            foreach (var (k, v) in TestStorage.EnvironmentFor(data))
            {
                info.Environment[k] = v;
            }
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                info.Environment[k] = v;
            }
        }

        return Start(info);
    }

    /// <summary>Starts any program with its output lines collected.</summary>
    public static ChildProcess Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout).ContinueWith(
            t => t.IsFaulted && t.Exception!.InnerException is TimeoutException
                ? throw new TimeoutException($"no matching output line within {timeout}; output so far:\n{Output}")
                : t.Result,
            TaskScheduler.Default);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush — a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM: a graceful stop.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync(timeout);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            foreach (var w in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult(line);
            }
        }
    }
}

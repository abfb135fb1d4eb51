using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// deploy/systemd/provenance.service: its settings, <c>systemd-analyze verify</c> and <c>security</c> on it, and its
/// sandbox applied to a real <c>provenance serve</c> (issue 21 item 1: the earlier filter killed the .NET runtime with
/// SIGSYS on every start).
/// </summary>
public sealed partial class SystemdTests(ITestOutputHelper output)
{
    private static UnitFile Unit => UnitFile.Shipped;

    [Fact]
    public void Unit_runs_provenance_serve_as_its_own_user_with_the_data_directory_from_the_environment()
    {
        Assert.Equal("/opt/provenance/provenance serve", Single("Service", "ExecStart"));
        Assert.Contains("Provenance__DataDirectory=/var/lib/provenance", Unit.All("Service", "Environment"));
        Assert.Contains("Logging__Console__FormatterName=systemd", Unit.All("Service", "Environment"));
        Assert.Equal("provenance", Single("Service", "User"));
        Assert.Equal("provenance", Single("Service", "StateDirectory"));
        Assert.Equal("/var/lib/provenance", Single("Service", "WorkingDirectory"));
        Assert.Equal("on-failure", Single("Service", "Restart"));
        Assert.Equal("-/etc/provenance/env", Single("Service", "EnvironmentFile"));
        Assert.True(int.Parse(Single("Service", "LimitNOFILE"), CultureInfo.InvariantCulture) >= 65536, "LimitNOFILE too low");
        Assert.Equal("multi-user.target", Single("Install", "WantedBy"));
        Assert.Contains("network-online.target", Single("Unit", "Wants"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_is_sandboxed_with_only_the_state_directory_writable()
    {
        Assert.Equal("yes", Single("Service", "NoNewPrivileges"));
        Assert.Equal("strict", Single("Service", "ProtectSystem"));
        Assert.Equal("/var/lib/provenance", Single("Service", "ReadWritePaths"));
        foreach (var key in new[] { "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups", "RestrictSUIDSGID", "LockPersonality", "RestrictNamespaces" })
        {
            Assert.True(Single("Service", key) == "yes", $"{key}=yes missing");
        }

        Assert.Equal("", Single("Service", "CapabilityBoundingSet"));
        Assert.Equal("@system-service", Unit.All("Service", "SystemCallFilter")[0]);
        Assert.Equal("no", Single("Service", "MemoryDenyWriteExecute"));
    }

    [Fact]
    public void Unit_file_has_only_known_sections_and_no_duplicate_single_valued_keys()
    {
        Assert.Equal(new[] { "Install", "Service", "Unit" }, Unit.Sections.Keys.Order().ToArray());
        var multi = new HashSet<string> { "After", "Wants", "Environment", "SystemCallFilter", "ReadWritePaths" };
        foreach (var (section, entries) in Unit.Sections)
        {
            var duplicates = entries.GroupBy(e => e.Key).Where(g => g.Count() > 1 && !multi.Contains(g.Key)).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"[{section}] repeats {string.Join(", ", duplicates)}");
        }
    }

    [Fact]
    public async Task Systemd_analyze_verifies_the_unit_without_a_warning_and_rates_its_exposure_low()
    {
        var root = Directory.CreateTempSubdirectory("prov-systemd-root-").FullName;
        try
        {
            // A root with systemd's own units (the targets the unit refers to), the unit, and an executable at ExecStart.
            Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "systemd"));
            var copy = await ProcessRunner.RunAsync("cp", ["-r", "/usr/lib/systemd/system", Path.Combine(root, "usr", "lib", "systemd")]);
            Assert.True(copy.ExitCode == 0, copy.Describe("cp /usr/lib/systemd/system"));
            Directory.CreateDirectory(Path.Combine(root, "etc", "systemd", "system"));
            File.Copy(UnitFile.ShippedPath, Path.Combine(root, "etc", "systemd", "system", "provenance.service"));
            var program = Path.Combine(root, "opt", "provenance", "provenance");
            Directory.CreateDirectory(Path.GetDirectoryName(program)!);
            await File.WriteAllTextAsync(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var analyze = ProcessRunner.Require("systemd-analyze", "Install it: apt-get install systemd.");

            var verify = await ProcessRunner.RunAsync(analyze, [$"--root={root}", "verify", "provenance.service"]);
            var security = await ProcessRunner.RunAsync(analyze, ["security", "--offline=true", $"--root={root}", "provenance.service"]);

            output.WriteLine(verify.Describe("systemd-analyze verify"));
            output.WriteLine(security.StdOut.Split('\n').LastOrDefault(l => l.Contains("Overall exposure", StringComparison.Ordinal)) ?? security.Describe("systemd-analyze security"));
            Assert.True(verify.ExitCode == 0 && verify.StdErr.Trim().Length == 0 && verify.StdOut.Trim().Length == 0, verify.Describe("systemd-analyze verify"));
            var exposure = ExposureLevel().Match(security.StdOut);
            Assert.True(exposure.Success, security.Describe("systemd-analyze security"));
            Assert.True(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture) <= 2.0, $"exposure {exposure.Value}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_units_sandbox_lets_the_dotnet_runtime_start_serve_answer_and_stop_cleanly()
    {
        var sandbox = await UnitSandbox.FromAsync(Unit);

        var run = await RunServeInSandboxAsync(sandbox);

        output.WriteLine($"allowed system calls: {sandbox.AllowedSyscalls.Count}; root (mounts and user too): {UnitSandbox.IsRoot}; ready: {run.Ready}; exit after SIGTERM: {run.ExitCode}\n{run.Output}");
        Assert.Contains("sched_setaffinity", sandbox.AllowedSyscalls);
        Assert.DoesNotContain("setrlimit", sandbox.AllowedSyscalls);
        Assert.DoesNotContain("chown", sandbox.AllowedSyscalls);
        Assert.True(run.Ready, $"serve did not become ready in the unit's sandbox (exit {run.ExitCode}):\n{run.Output}");
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task The_filter_without_the_two_scheduling_calls_kills_the_runtime_with_SIGSYS()
    {
        var lines = Unit.All("Service", "SystemCallFilter").Where(l => !l.Contains("sched_setaffinity", StringComparison.Ordinal)).ToList();
        var sandbox = await UnitSandbox.FromAsync(Unit, lines);

        var run = await RunServeInSandboxAsync(sandbox);

        output.WriteLine($"filter {string.Join(" | ", lines)}: ready {run.Ready}, exit {run.ExitCode}");
        Assert.False(run.Ready);
        Assert.Equal(128 + 31, run.ExitCode);
    }

    private static string Single(string section, string key)
    {
        Assert.True(Unit.Sections.ContainsKey(section), $"section [{section}] missing");
        var values = Unit.All(section, key);
        Assert.True(values.Count == 1, $"[{section}] {key}= expected once, found {values.Count}");
        return values[0];
    }

    /// <summary>Starts the built <c>provenance</c> program like the unit (no --data: the environment says), waits until it is ready or has exited, then stops it with SIGTERM.</summary>
    private static async Task<(bool Ready, int ExitCode, string Output)> RunServeInSandboxAsync(UnitSandbox sandbox)
    {
        var work = Directory.CreateTempSubdirectory("prov-sandbox-").FullName;
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(work, "state")).FullName;
            await UnitSandbox.GiveToServiceUserAsync(data);
            var port = FreePort.Next();
            var info = sandbox.StartInfo(RepoPaths.HostProgram, ["serve", "--urls", $"http://127.0.0.1:{port}", "--Broker:Port=0", $"--Management:Url=http://127.0.0.1:{FreePort.Next()}"], data, Path.Combine(work, "allowed.txt"));
            info.Environment["Provenance__DataDirectory"] = data;
            info.Environment["DOTNET_gcServer"] = "1";
            var lines = new List<string>();
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var ready = false;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && !ready && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                    ready = response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet (or too busy to answer on a loaded machine): ask again.
                    await Task.Delay(100);
                }
            }

            if (!process.HasExited)
            {
                await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(stop.Token);
            }

            process.WaitForExit();
            lock (lines)
            {
                return (ready, process.ExitCode, string.Join('\n', lines));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [GeneratedRegex(@"Overall exposure level for provenance\.service: ([0-9.]+)")]
    private static partial Regex ExposureLevel();
}

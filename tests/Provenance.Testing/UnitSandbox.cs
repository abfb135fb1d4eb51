using System.Diagnostics;
using System.Globalization;

namespace Provenance.Testing;

/// <summary>
/// provenance.service's sandbox applied to a process without systemd as PID 1: the system-call allow list resolved
/// from the unit's <c>SystemCallFilter=</c> lines with systemd's own set definitions (<c>systemd-analyze
/// syscall-filter</c>, as systemd does: an allow list starts from <c>@default</c>, then each line adds or — with
/// <c>~</c> — removes sets in file order), <c>RestrictAddressFamilies=</c>, and, when run as root,
/// <c>ProcSubset=pid</c>/<c>ProtectProc=invisible</c>, <c>ProtectSystem=strict</c> with the data directory writable
/// and <c>User=</c> (as nobody). The filter is loaded with libseccomp (python3-seccomp) by Sandbox/seccomp-exec.py.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnitSandbox
{
    private static readonly Dictionary<string, int> Families = new(StringComparer.Ordinal) { ["AF_UNIX"] = 1, ["AF_INET"] = 2, ["AF_INET6"] = 10 };

    private UnitSandbox(IReadOnlySet<string> allowed, IReadOnlyList<int> families)
    {
        AllowedSyscalls = allowed;
        AddressFamilies = families;
    }

    public IReadOnlySet<string> AllowedSyscalls { get; }

    public IReadOnlyList<int> AddressFamilies { get; }

    public static bool IsRoot => Environment.UserName == "root";

    public static string SandboxDirectory => Path.Combine(RepoPaths.Root, "tests", "Provenance.Deploy.Tests", "Sandbox");

    /// <summary>The sandbox of <paramref name="unit"/>, optionally with its <c>SystemCallFilter=</c> lines replaced.</summary>
    public static async Task<UnitSandbox> FromAsync(UnitFile unit, IReadOnlyList<string>? filterLines = null)
    {
        var sets = await SyscallSetsAsync();
        var lines = filterLines ?? unit.All("Service", "SystemCallFilter");
        Assert.NotEmpty(lines);
        Assert.False(lines[0].StartsWith('~'), "the unit's first SystemCallFilter= must be an allow list");
        var allowed = Expand("@default", sets);
        foreach (var line in lines)
        {
            var deny = line.StartsWith('~');
            foreach (var item in line.TrimStart('~').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var names = Expand(item, sets);
                if (deny)
                {
                    allowed.ExceptWith(names);
                }
                else
                {
                    allowed.UnionWith(names);
                }
            }
        }

        var families = unit.All("Service", "RestrictAddressFamilies").SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => Families.TryGetValue(f, out var n) ? n : throw new InvalidOperationException($"address family {f} is not mapped in the test")).ToList();
        Assert.NotEmpty(families);
        return new UnitSandbox(allowed, families);
    }

    /// <summary>
    /// A start of <paramref name="program"/> inside the sandbox: its data directory becomes owned by nobody (the
    /// service user's stand-in) when running as root. Write <see cref="AllowedSyscalls"/> to <paramref name="listFile"/> first.
    /// </summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string dataDirectory, string listFile)
    {
        File.WriteAllText(listFile, string.Join('\n', AllowedSyscalls.Order(StringComparer.Ordinal)));
        Assert.True(File.Exists("/usr/bin/python3"), "/usr/bin/python3 is missing: apt-get install python3-seccomp (eng/install-deps.sh does)");
        var filtered = new List<string> { "/usr/bin/python3", Path.Combine(SandboxDirectory, "seccomp-exec.py"), listFile, string.Join(',', AddressFamilies), "--", program };
        filtered.AddRange(arguments);
        ProcessStartInfo info;
        if (IsRoot)
        {
            info = new ProcessStartInfo(ProcessRunner.Require("unshare", "Install util-linux."));
            foreach (var a in new[] { "--mount", "--propagation", "private", "/bin/bash", Path.Combine(SandboxDirectory, "run-in-unit-sandbox.sh"), dataDirectory, "65534", "65534", "--" })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info = new ProcessStartInfo(filtered[0]);
            filtered.RemoveAt(0);
        }

        foreach (var a in filtered)
        {
            info.ArgumentList.Add(a);
        }

        info.WorkingDirectory = dataDirectory;
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        return info;
    }

    /// <summary>Gives a directory tree to nobody (as the unit's StateDirectory= gives it to the service user), when root.</summary>
    public static async Task GiveToServiceUserAsync(string directory)
    {
        if (!IsRoot)
        {
            return;
        }

        var chown = await ProcessRunner.RunAsync("chown", ["-R", "65534:65534", directory]);
        Assert.True(chown.ExitCode == 0, chown.Describe("chown"));
        for (var dir = Path.GetDirectoryName(directory); dir is not null && dir != "/" && dir != "/tmp"; dir = Path.GetDirectoryName(dir))
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
        }
    }

    private static HashSet<string> Expand(string item, Dictionary<string, List<string>> sets)
    {
        if (!item.StartsWith('@'))
        {
            return [item];
        }

        Assert.True(sets.ContainsKey(item), $"systemd does not know the set {item}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in sets[item])
        {
            names.UnionWith(Expand(member, sets));
        }

        return names;
    }

    /// <summary>Every named set and its members, from <c>systemd-analyze syscall-filter</c>.</summary>
    private static async Task<Dictionary<string, List<string>>> SyscallSetsAsync()
    {
        var analyze = ProcessRunner.Require("systemd-analyze", "Install it: apt-get install systemd.");
        var result = await ProcessRunner.RunAsync(analyze, ["syscall-filter"]);
        Assert.True(result.ExitCode == 0, result.Describe("systemd-analyze syscall-filter"));
        var sets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in result.StdOut.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                current = [];
                sets[line.Trim()] = current;
                continue;
            }

            current?.Add(line.Trim());
        }

        Assert.True(sets.Count > 10, $"systemd-analyze syscall-filter listed {sets.Count.ToString(CultureInfo.InvariantCulture)} sets");
        return sets;
    }
}

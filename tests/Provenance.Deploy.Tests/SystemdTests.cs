namespace Provenance.Deploy.Tests;

/// <summary>
/// deploy/systemd/provenance.service. systemd-analyze is not available in the test container, so
/// the unit is parsed (sections, key=value, repeated keys) and its hardening asserted.
/// </summary>
public sealed class SystemdTests
{
    private static readonly Lazy<Dictionary<string, List<(string Key, string Value)>>> Unit = new(() =>
        Parse(File.ReadAllLines(Path.Combine(RepoPaths.Deploy, "systemd", "provenance.service"))));

    [Fact]
    public void Unit_runs_provenance_serve_as_its_own_user_with_a_state_directory()
    {
        Assert.Equal("/opt/provenance/provenance serve --data /var/lib/provenance", Single("Service", "ExecStart"));
        Assert.Equal("provenance", Single("Service", "User"));
        Assert.Equal("provenance", Single("Service", "StateDirectory"));
        Assert.Equal("/var/lib/provenance", Single("Service", "WorkingDirectory"));
        Assert.Equal("on-failure", Single("Service", "Restart"));
        Assert.Equal("-/etc/provenance/env", Single("Service", "EnvironmentFile"));
        Assert.True(int.Parse(Single("Service", "LimitNOFILE"), System.Globalization.CultureInfo.InvariantCulture) >= 65536, "LimitNOFILE too low");
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
        Assert.Contains("@system-service", All("Service", "SystemCallFilter"));
        // The .NET JIT needs W+X pages: the unit must not forbid them.
        Assert.Equal("no", Single("Service", "MemoryDenyWriteExecute"));
    }

    [Fact]
    public void Unit_file_has_only_known_sections_and_no_duplicate_single_valued_keys()
    {
        Assert.Equal(new[] { "Install", "Service", "Unit" }, Unit.Value.Keys.Order().ToArray());
        var multi = new HashSet<string> { "After", "Wants", "Environment", "SystemCallFilter", "ReadWritePaths" };
        foreach (var (section, entries) in Unit.Value)
        {
            var duplicates = entries.GroupBy(e => e.Key).Where(g => g.Count() > 1 && !multi.Contains(g.Key)).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"[{section}] repeats {string.Join(", ", duplicates)}");
        }
    }

    private static string Single(string section, string key)
    {
        Assert.True(Unit.Value.ContainsKey(section), $"section [{section}] missing");
        var values = All(section, key);
        Assert.True(values.Count == 1, $"[{section}] {key}= expected once, found {values.Count}");
        return values[0];
    }

    private static List<string> All(string section, string key) =>
        Unit.Value.TryGetValue(section, out var e) ? e.Where(x => x.Key == key).Select(x => x.Value).ToList() : [];

    private static Dictionary<string, List<(string Key, string Value)>> Parse(string[] lines)
    {
        var result = new Dictionary<string, List<(string, string)>>();
        List<(string, string)>? current = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = [];
                result.Add(line[1..^1], current);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current is null || eq <= 0)
            {
                throw new FormatException($"not a unit-file line: {raw}");
            }

            current.Add((line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }

        return result;
    }
}

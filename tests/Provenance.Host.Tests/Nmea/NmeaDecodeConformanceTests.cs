using System.Globalization;
using System.Text.Json;
using Provenance.Host.Cli;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Nmea;

/// <summary>
/// Runs <c>provenance nmea decode</c> over the real receiver logs and compares with gpsd's decoding (the .chk files):
/// every UTC time at which gpsd reports a TPV with mode 2 or 3 and a position must be one of our fix epochs, within
/// 1e-6 degrees of gpsd's last TPV for that time.
/// </summary>
public sealed class NmeaDecodeConformanceTests(ITestOutputHelper output)
{
    private const double ToleranceDegrees = 1e-6;

    public static TheoryData<string> Logs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepositoryPaths.NmeaConformance, "*.log").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void The_conformance_directory_holds_logs_with_gpsd_checks()
    {
        var logs = Directory.GetFiles(RepositoryPaths.NmeaConformance, "*.log");
        Assert.True(logs.Length >= 7, $"expected the conformance logs in {RepositoryPaths.NmeaConformance}");
        Assert.All(logs, log => Assert.True(File.Exists(log + ".chk"), $"{log}.chk is missing"));
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task Decode_has_a_fix_at_every_time_gpsd_has_one_and_agrees_on_the_position(string log)
    {
        var path = Path.Combine(RepositoryPaths.NmeaConformance, log);
        var expected = ReadGpsdFixes(path + ".chk");
        Assert.NotEmpty(expected);

        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CommandLine.RunAsync(["nmea", "decode", path], stdout, stderr);
        Assert.Equal(0, exit);

        var ours = new Dictionary<string, (double Lat, double Lon, int Mode)>(StringComparer.Ordinal);
        foreach (var line in stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.GetProperty("time").GetString() is { } time)
            {
                ours[time] = (root.GetProperty("lat").GetDouble(), root.GetProperty("lon").GetDouble(), root.GetProperty("mode").GetInt32());
            }
        }

        var failures = new List<string>();
        foreach (var (time, (lat, lon)) in expected)
        {
            if (!ours.TryGetValue(time, out var fix))
            {
                failures.Add($"{time}: gpsd has a fix at {lat},{lon}; we have no fix epoch");
            }
            else if (Math.Abs(fix.Lat - lat) > ToleranceDegrees || Math.Abs(fix.Lon - lon) > ToleranceDegrees || fix.Mode < 2)
            {
                failures.Add($"{time}: gpsd {lat},{lon}; ours {fix.Lat},{fix.Lon} mode {fix.Mode}");
            }
        }

        var diagnostics = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        output.WriteLine($"{log}: {expected.Count - failures.Count} of {expected.Count} gpsd TPV times matched; {ours.Count} fix epochs emitted; {diagnostics} diagnostics");
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine("  " + failure);
        }

        Assert.Empty(failures);
    }

    /// <summary>gpsd's TPV reports with mode ≥ 2, a time and a position; the last report for a time wins.</summary>
    private static Dictionary<string, (double Lat, double Lon)> ReadGpsdFixes(string chk)
    {
        var fixes = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(chk))
        {
            if (!line.StartsWith("{\"class\":\"TPV\"", StringComparison.Ordinal))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var tpv = json.RootElement;
            if (tpv.TryGetProperty("mode", out var mode) && mode.GetInt32() >= 2
                && tpv.TryGetProperty("time", out var time)
                && tpv.TryGetProperty("lat", out var lat) && tpv.TryGetProperty("lon", out var lon))
            {
                fixes[time.GetString()!] = (lat.GetDouble(), lon.GetDouble());
            }
        }

        return fixes;
    }
}

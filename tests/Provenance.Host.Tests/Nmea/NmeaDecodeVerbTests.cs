using System.Globalization;
using System.Text.Json;
using Provenance.Core.Nmea;
using Provenance.Host.Cli;

namespace Provenance.Host.Tests.Nmea;

public sealed class NmeaDecodeVerbTests
{
    [Fact]
    public async Task Decode_prints_one_json_line_per_fix_and_reports_bad_lines_on_stderr()
    {
        var input = string.Join('\n',
            NmeaChecksum.Append("$GNRMC,123456.00,A,4807.038,N,01131.000,E,0.0,0.0,010524,,,A"),
            NmeaChecksum.Append("$GNGGA,123456.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
            "$GNGGA,123457.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*00",
            "garbage \u0001\u0002",
            NmeaChecksum.Append("$GNGGA,123458.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"));
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);

        var exit = await CommandLine.RunAsync(["nmea", "decode", "-"], stdout, stderr, new StringReader(input));

        Assert.Equal(0, exit);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("2024-05-01T12:34:56.000Z", first.RootElement.GetProperty("time").GetString());
        Assert.Equal(48.1173, first.RootElement.GetProperty("lat").GetDouble());
        Assert.Equal(11.516666666666667, first.RootElement.GetProperty("lon").GetDouble(), 12);
        Assert.Equal(3, first.RootElement.GetProperty("mode").GetInt32());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("2024-05-01T12:34:58.000Z", second.RootElement.GetProperty("time").GetString());
        var errors = stderr.ToString();
        Assert.Contains("line 3: bad checksum", errors, StringComparison.Ordinal);
        Assert.Contains("line 4: not an NMEA sentence", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_of_a_missing_file_exits_1_naming_the_file()
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-nmea-" + Guid.NewGuid().ToString("N") + ".log");

        var exit = await CommandLine.RunAsync(["nmea", "decode", missing], stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Contains(missing, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_help_describes_the_verb()
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CommandLine.RunAsync(["nmea", "decode", "--help"], stdout, TextWriter.Null);
        Assert.Equal(0, exit);
        Assert.Contains("Usage: provenance nmea decode [FILE|-]", stdout.ToString(), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// <c>provenance nmea decode FILE</c> (a process: decoding and JSON output) over the conformance logs concatenated and
/// repeated, against reading the same file line by line in this process.
/// </summary>
public sealed class NmeaCliSuite : IBenchSuite
{
    public string Name => "nmea";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory("bench-nmea-");
        var log = temp.Combine("conformance-concatenated.log");
        var bytes = NmeaCorpus.Load(copies: settings.Quick ? 30 : 150);
        await File.WriteAllBytesAsync(log, bytes, cancellationToken);
        var lines = bytes.Count(b => b == (byte)'\n');
        var baseline = new List<double>();
        var ours = new List<double>();
        for (var r = 0; r < settings.Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var n = 0;
            using (var reader = new StreamReader(log, Encoding.ASCII, false, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan }))
            {
                while (await reader.ReadLineAsync(cancellationToken) is not null)
                {
                    n++;
                }
            }

            baseline.Add(n / clock.Elapsed.TotalSeconds);
            var result = await ProcessRunner.RunAsync(RepoPaths.Provenance, ["nmea", "decode", log], temp.Path, "/dev/null", cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"nmea decode exited {result.ExitCode}: {result.StandardError[..Math.Min(400, result.StandardError.Length)]}");
            }

            ours.Add(lines / result.Elapsed.TotalSeconds);
            Log.Info($"nmea run {r + 1}: lines {baseline[^1]:N0}/s, decode {ours[^1]:N0} sentences/s ({lines:N0} lines, {bytes.Length / 1048576.0:N1} MiB, {result.Elapsed.TotalSeconds:N2} s incl. process start)");
        }

        return [ResultRow.Paired("NMEA", "`nmea decode` sentences/s", baseline, ours, 0.15, string.Empty,
            $"{lines:N0} lines ({bytes.Length / 1048576.0:N1} MiB); ours = whole CLI process incl. start-up and JSON out, stderr diagnostics; median of {settings.Repeats}")];
    }
}

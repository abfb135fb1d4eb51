using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Provenance.Bench.Harness;
using Provenance.Bench.Micro;

namespace Provenance.Bench.Suites;

/// <summary>
/// The CPU-only paths with BenchmarkDotNet (in-process toolchain, short job; medians): Fabric proposal signing, NMEA
/// decoding, the code MAC and NFC tap verification, each against its raw baseline in the same class.
/// </summary>
public sealed class MicroSuite(string name, Type benchmarks, string path, string metric, double? goal, Func<double, double> perSecond, string notes) : IBenchSuite
{
    public string Name => name;

    public static MicroSuite Fabric() => new("fabric", typeof(FabricBenchmarks), "Fabric client", "signed proposals/s (CPU only)", 0.8, ns => 1e9 / ns, "proposal build + digest + DER low-S sign + tx id; baseline raw ECDSA P-256 SignHash; BenchmarkDotNet median");

    public static MicroSuite Mac() => new("mac", typeof(MacBenchmarks), "code MAC", "codes/s", null, ns => 1e9 / ns, "CodeAuthenticator.Sign vs raw HMAC-SHA256 of the canonical path; BenchmarkDotNet median");

    public static MicroSuite Nfc() => new("nfc", typeof(NfcBenchmarks), "NFC tap verification", "SUN messages/s", null, ns => 1e9 / ns, "SunVerifier.Verify (decrypt PICCData, AN10922 chip key, session key, SDMMAC, file data) vs one raw AES-CMAC of the MAC input; BenchmarkDotNet median");

    public static MicroSuite NmeaDecoder() => new("nmea-decoder", typeof(NmeaBenchmarks), "NMEA (decoder only)", "sentences/s", 0.3, ns => NmeaBenchmarks.Lines * 1e9 / ns, "NmeaStreamDecoder in-process vs StreamReader.ReadLine of the same bytes; BenchmarkDotNet median");

    public Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(settings.Quick ? 1 : 3)
            .WithIterationCount(settings.Quick ? 3 : 9)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(settings.Quick ? 150 : 250));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(new ConsoleLogger())
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "provenance-bench-artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run(benchmarks, config);
        var baseline = Report(summary, baseline: true);
        var ours = Report(summary, baseline: false);
        var spread = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"RSD baseline {Rsd(baseline):0.#}%, ours {Rsd(ours):0.#}%");
        IReadOnlyList<ResultRow> rows = [new ResultRow(path, metric, perSecond(baseline.Median), perSecond(ours.Median), goal, string.Empty, notes) { MicroSpread = spread }];
        return Task.FromResult(rows);
    }

    private static double Rsd(BenchmarkDotNet.Mathematics.Statistics s) => s.Mean > 0 ? 100 * s.StandardDeviation / s.Mean : double.NaN;

    private static BenchmarkDotNet.Mathematics.Statistics Report(Summary summary, bool baseline)
    {
        var report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline == baseline && r.ResultStatistics is not null)
            ?? throw new InvalidOperationException($"BenchmarkDotNet produced no {(baseline ? "baseline" : "measured")} result");
        return report.ResultStatistics!;
    }
}

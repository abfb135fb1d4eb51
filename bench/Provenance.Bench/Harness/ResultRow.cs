using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>One line of the results table: a hot path against its raw baseline measured in the same run.</summary>
/// <param name="Path">The hot path (ingestion, scan, ...).</param>
/// <param name="Metric">What is compared, with its unit.</param>
/// <param name="Baseline">The baseline's median figure.</param>
/// <param name="Ours">Our median figure.</param>
/// <param name="Goal">The minimum ratio ours / baseline, or null when the row only reports.</param>
/// <param name="Memory">Peak memory, when measured.</param>
/// <param name="Notes">Latency percentiles, repeats and anything else worth reading next to the figures.</param>
public sealed record ResultRow(string Path, string Metric, double Baseline, double Ours, double? Goal, string Memory = "", string Notes = "")
{
    /// <summary>Each repeat's baseline figure, in the order measured (empty when the row has one figure).</summary>
    public IReadOnlyList<double> BaselineRuns { get; init; } = [];

    /// <summary>Each repeat's figure of ours, measured right after the baseline run of the same index.</summary>
    public IReadOnlyList<double> OursRuns { get; init; } = [];

    /// <summary>
    /// An absolute upper bound on ours (peak MiB, p99 ms) for rows whose goal is not a ratio; the verdict then compares
    /// <see cref="Ours"/> with it.
    /// </summary>
    public double? Limit { get; init; }

    /// <summary>The goal as the tables print it: "≥ ratio", "≤ limit" or "–".</summary>
    public string GoalText => Limit is { } limit
        ? "≤ " + limit.ToString("#,0.##", CultureInfo.InvariantCulture)
        : Goal is { } goal ? "≥ " + goal.ToString("0.0#", CultureInfo.InvariantCulture) : "–";

    /// <summary>A spread BenchmarkDotNet measured itself (its relative standard deviation), when the row comes from it.</summary>
    public string? MicroSpread { get; init; }

    /// <summary>
    /// ours / baseline. With paired runs, the median of each pair's ratio: both sides of a pair ran back to back, so a
    /// slow drift of the shared machine's load cancels out of the ratio even when it moves both figures.
    /// </summary>
    public double Ratio => PairRatios is { Count: > 0 } pairs ? Stats.Median(pairs) : Baseline > 0 ? Ours / Baseline : double.NaN;

    public string Verdict => VerdictOf(Ratio, Ours);

    /// <summary>The verdict for a ratio and our figure under this row's goal or limit.</summary>
    public string VerdictOf(double ratio, double ours) =>
        Limit is { } limit ? (ours <= limit ? "met" : "MISSED")
        : Goal is { } goal ? (ratio >= goal ? "met" : "MISSED")
        : "report";

    /// <summary>How steady the figures were: the ratio's range over the pairs and the baseline's spread around its median.</summary>
    public string Spread
    {
        get
        {
            if (MicroSpread is not null)
            {
                return MicroSpread;
            }

            if (PairRatios is not { Count: > 1 } pairs)
            {
                return OursRuns.Count > 1 ? $"ours {Stats.RelativeRange(OursRuns)}" : "–";
            }

            return string.Create(CultureInfo.InvariantCulture, $"ratio {pairs.Min():0.00}–{pairs.Max():0.00}; baseline {Stats.RelativeRange(BaselineRuns)}");
        }
    }

    private List<double>? PairRatios =>
        BaselineRuns.Count > 0 && BaselineRuns.Count == OursRuns.Count
            ? BaselineRuns.Zip(OursRuns).Where(p => p.First > 0 && !double.IsNaN(p.Second)).Select(p => p.Second / p.First).ToList()
            : null;

    /// <summary>A row from interleaved runs: baseline[i] and ours[i] were measured back to back.</summary>
    public static ResultRow Paired(string path, string metric, IReadOnlyList<double> baseline, IReadOnlyList<double> ours, double? goal, string memory = "", string notes = "") =>
        new(path, metric, Stats.Median(baseline), Stats.Median(ours), goal, memory, notes) { BaselineRuns = baseline, OursRuns = ours };
}

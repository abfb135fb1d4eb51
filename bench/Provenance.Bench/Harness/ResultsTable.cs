using System.Globalization;
using System.Text;

namespace Provenance.Bench.Harness;

/// <summary>Renders the results as Markdown: machine, versions, then one row per figure with the ratio and the goal.</summary>
public static class ResultsTable
{
    public static string Render(IReadOnlyList<ResultRow> rows, BenchSettings settings, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Provenance benchmarks").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"`./bench.sh{(settings.Only.Count > 0 ? " --only " + string.Join(',', settings.Only) : string.Empty)}{(settings.Quick ? " --quick" : string.Empty)}` — {settings.Repeats} repeat(s) per end-to-end figure (median), whole run {elapsed.TotalMinutes:N1} min.");
        sb.AppendLine("Baseline and ours are measured in the same run on the same machine, interleaved (baseline, ours, baseline, ours, …); the ratio is the median of each back-to-back pair's ours / baseline (for latencies, lower is better and no goal applies).");
        sb.AppendLine("`spread`: the pair ratios' range, and the baseline's min/max around its median; BenchmarkDotNet rows give its relative standard deviations.").AppendLine();
        foreach (var line in MachineInfo.Describe())
        {
            sb.AppendLine(line);
        }

        sb.AppendLine();
        sb.AppendLine("| path | metric | baseline | ours | ratio | spread | goal | verdict | peak memory | notes |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | --- | ---: | --- | --- | --- |");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Path} | {r.Metric} | {Format(r.Baseline)} | {Format(r.Ours)} | {(double.IsNaN(r.Ratio) ? "–" : r.Ratio.ToString("0.00", CultureInfo.InvariantCulture))} | {r.Spread} | {r.GoalText} | {r.Verdict} | {r.Memory} | {r.Notes} |");
        }

        return sb.ToString();
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "–" : value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}

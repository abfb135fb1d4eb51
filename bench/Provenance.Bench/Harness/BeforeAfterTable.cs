using System.Globalization;
using System.Text;

namespace Provenance.Bench.Harness;

/// <summary>
/// Puts the runs of two builds side by side (<c>bench/compare.sh REF</c> writes <c>before-N.json</c> and
/// <c>after-N.json</c>, alternating the builds round by round): for each row, the ratio of each build as the median
/// over its rounds with its range, and after / before.
/// </summary>
public static class BeforeAfterTable
{
    public static string Render(string directory, string beforeLabel)
    {
        var before = Load(directory, "before-*.json");
        var after = Load(directory, "after-*.json");
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Before ({beforeLabel}) and after, interleaved in one run").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{before.Rounds} round(s) of the before build and {after.Rounds} of this one, alternating (before, after, before, after, …), each round measuring its own baseline. Ratio = ours / baseline as in `latest.md`; the range is over the rounds.").AppendLine();
        foreach (var line in MachineInfo.Describe())
        {
            sb.AppendLine(line);
        }

        sb.AppendLine();
        sb.AppendLine("| path | metric | before: ratio (range) | after: ratio (range) | after / before | after: ours (median) | goal | verdict |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var key in after.Keys.Concat(before.Keys).Distinct())
        {
            var b = before.Ratios(key);
            var a = after.Ratios(key);
            var row = after.First(key) ?? before.First(key)!;
            var verdict = a.Count == 0 && row.Limit is null ? "report" : row.VerdictOf(a.Count == 0 ? double.NaN : Stats.Median(a), Stats.Median(after.Ours(key)));
            var change = a.Count > 0 && b.Count > 0 && Stats.Median(b) > 0 ? (Stats.Median(a) / Stats.Median(b)).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Path} | {key.Metric} | {Describe(b)} | {Describe(a)} | {change} | {ResultsTable.Format(Stats.Median(after.Ours(key)))} | {row.GoalText} | {verdict} |");
        }

        return sb.ToString();
    }

    private static string Describe(List<double> ratios) =>
        ratios.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00})");

    private static Runs Load(string directory, string pattern) =>
        new(Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal).Select(ResultsJson.Read).ToList());

    private sealed class Runs(List<IReadOnlyList<ResultRow>> rounds)
    {
        public int Rounds => rounds.Count;

        public IEnumerable<(string Path, string Metric)> Keys => rounds.SelectMany(r => r).Select(r => (r.Path, r.Metric)).Distinct();

        public ResultRow? First((string Path, string Metric) key) => Matching(key).FirstOrDefault();

        public List<double> Ratios((string Path, string Metric) key) => Matching(key).Select(r => r.Ratio).Where(r => !double.IsNaN(r)).ToList();

        public List<double> Ours((string Path, string Metric) key) => Matching(key).Select(r => r.Ours).Where(r => !double.IsNaN(r)).ToList();

        private IEnumerable<ResultRow> Matching((string Path, string Metric) key) => rounds.SelectMany(r => r).Where(r => r.Path == key.Path && r.Metric == key.Metric);
    }
}

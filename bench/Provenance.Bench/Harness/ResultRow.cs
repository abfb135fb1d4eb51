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
    public double Ratio => Baseline > 0 ? Ours / Baseline : double.NaN;

    public string Verdict => Goal is not { } goal ? "report" : Ratio >= goal ? "met" : "MISSED";
}

namespace Provenance.Bench.Harness;

/// <summary>Medians and percentiles over repeated measurements.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile (<paramref name="p"/> in 0..1); NaN for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

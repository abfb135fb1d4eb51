using System.Globalization;

namespace Provenance.Bench.Harness;

/// <summary>Medians, percentiles and spreads over repeated measurements.</summary>
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

    /// <summary>The range of the values around their median, e.g. "−12%/+30%" (min and max relative to the median).</summary>
    public static string RelativeRange(IReadOnlyList<double> values)
    {
        var median = Median(values);
        if (values.Count < 2 || !(median > 0))
        {
            return "–";
        }

        return string.Create(CultureInfo.InvariantCulture, $"−{(1 - (values.Min() / median)) * 100:0}%/+{((values.Max() / median) - 1) * 100:0}%");
    }
}

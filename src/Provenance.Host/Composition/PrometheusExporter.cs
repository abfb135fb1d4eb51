using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Provenance.Host.Composition;

/// <summary>
/// A small Prometheus exporter over <see cref="MeterListener"/>: listens to every meter whose name starts with one of the
/// given prefixes, keeps counters (sums), gauges and observable instruments (last value) and histograms (fixed buckets)
/// per label set, and renders them in the text exposition format 0.0.4. Thread-safe.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<Instrument, Series> _series = [];

    public PrometheusExporter(params string[] meterPrefixes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                lock (_gate)
                {
                    _series[instrument] = new Series(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _series.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments and renders everything.</summary>
    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                series.WriteTo(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A metric or label name: characters outside [a-zA-Z0-9_:] (dots included) become underscores.</summary>
    internal static string SanitizeName(string name, bool allowColon = true)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_').ToArray();
        var result = new string(chars);
        return result.Length == 0 || char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    /// <summary>A label value: backslash, double quote and line feed escaped.</summary>
    internal static string EscapeLabelValue(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_gate)
        {
            if (_series.TryGetValue(instrument, out var series))
            {
                series.Record(labels, value);
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{SanitizeName(key, allowColon: false)}=\"{EscapeLabelValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private enum Kind
    {
        Counter,
        Gauge,
        Histogram,
    }

    /// <summary>One instrument's values per label set.</summary>
    private sealed class Series
    {
        private readonly Instrument _instrument;
        private readonly Kind _kind;
        private readonly bool _cumulative;
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long[] Buckets, double Sum, long Count)> _histograms = new(StringComparer.Ordinal);

        public Series(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType().Name;
            _kind = type.StartsWith("Histogram", StringComparison.Ordinal) ? Kind.Histogram
                : type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal) ? Kind.Counter
                : Kind.Gauge;
            // Counter and UpDownCounter report increments; observable instruments and gauges report the current value.
            _cumulative = type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("UpDownCounter", StringComparison.Ordinal);
            var name = SanitizeName(instrument.Name) + UnitSuffix(instrument.Unit);
            Name = _kind == Kind.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
        }

        public string Name { get; }

        public void Record(string labels, double value)
        {
            if (_kind == Kind.Histogram)
            {
                var h = _histograms.TryGetValue(labels, out var existing) ? existing : (new long[Buckets.Length], 0d, 0L);
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        h.Item1[i]++;
                    }
                }

                _histograms[labels] = (h.Item1, h.Item2 + value, h.Item3 + 1);
            }
            else
            {
                _values[labels] = _cumulative && _values.TryGetValue(labels, out var sum) ? sum + value : value;
            }
        }

        public void WriteTo(StringBuilder text)
        {
            if (_values.Count == 0 && _histograms.Count == 0)
            {
                return;
            }

            var help = (_instrument.Description ?? _instrument.Name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            text.Append("# HELP ").Append(Name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_kind.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (labels, value) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                text.Append(Name).Append(labels.Length == 0 ? string.Empty : "{" + labels + "}").Append(' ').Append(FormatValue(value)).Append('\n');
            }

            foreach (var (labels, h) in _histograms.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                var prefix = labels.Length == 0 ? string.Empty : labels + ",";
                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(Name).Append("_bucket{").Append(prefix).Append("le=\"").Append(FormatValue(Buckets[i])).Append("\"} ").Append(h.Buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                text.Append(Name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(h.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                var suffix = labels.Length == 0 ? string.Empty : "{" + labels + "}";
                text.Append(Name).Append("_sum").Append(suffix).Append(' ').Append(FormatValue(h.Sum)).Append('\n');
                text.Append(Name).Append("_count").Append(suffix).Append(' ').Append(h.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        private static string UnitSuffix(string? unit) => unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
    }
}

namespace Provenance.Bench.Harness;

/// <summary>Command-line settings: which paths to run and how hard.</summary>
public sealed record BenchSettings
{
    /// <summary>The paths to run (empty: all).</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    /// <summary>Repeats of each end-to-end measurement; the median is reported.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Shorter runs (smoke test of the harness; figures are rough).</summary>
    public bool Quick { get; init; }

    public bool Includes(string path) => Only.Count == 0 || Only.Contains(path);

    public static BenchSettings Parse(string[] args)
    {
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--only" when i + 1 < args.Length:
                    foreach (var p in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        only.Add(p);
                    }

                    break;
                case "--repeats" when i + 1 < args.Length:
                    settings = settings with { Repeats = Math.Max(1, int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)) };
                    break;
                case "--quick":
                    settings = settings with { Quick = true, Repeats = 1 };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (use --only PATH[,PATH], --repeats N, --quick)");
            }
        }

        return settings with { Only = only };
    }
}

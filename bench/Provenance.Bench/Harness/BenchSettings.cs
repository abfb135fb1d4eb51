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

    /// <summary>Also write the rows as JSON to this file.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Render the before/after table from the JSON runs in this directory instead of measuring.</summary>
    public string? CompareDirectory { get; init; }

    /// <summary>What the before build is (a git ref), for the before/after table's title.</summary>
    public string BeforeLabel { get; init; } = "before";

    /// <summary>What <c>./bench.sh --help</c> prints.</summary>
    public const string Usage = """
        Usage: ./bench.sh [--only PATH[,PATH...]] [--repeats N] [--quick] [--json FILE]
               bench/compare.sh REF [ARGS]

        Measures every hot path against its raw baseline in the same run, prints the Markdown table and writes
        bench/results/latest.md (a run with --only or --quick writes bench/results/latest-partial.md instead).

          --only PATHS   comma-separated: ingestion, scan, issuance, ledger, fabric, fabric-network, nmea, nmea-decoder,
                         mac, nfc, scan-scale, ingestion-postgres, scan-postgres, scan-two-processes (default: all)
          --repeats N    repeats per end-to-end figure, median reported (default 3)
          --quick        short smoke run, one repeat; figures are rough
          --json FILE    also write the rows as JSON
          --compare DIR  render the before/after table from the JSON runs in DIR (bench/compare.sh does this)
        """;

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
                case "--json" when i + 1 < args.Length:
                    settings = settings with { JsonPath = Path.GetFullPath(args[++i]) };
                    break;
                case "--compare" when i + 1 < args.Length:
                    settings = settings with { CompareDirectory = Path.GetFullPath(args[++i]) };
                    break;
                case "--before-label" when i + 1 < args.Length:
                    settings = settings with { BeforeLabel = args[++i] };
                    break;
                case "--quick":
                    settings = settings with { Quick = true, Repeats = 1 };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (use --only PATH[,PATH], --repeats N, --quick, --json FILE, --compare DIR)");
            }
        }

        return settings with { Only = only };
    }
}

using System.Globalization;

namespace Provenance.Host.Cli;

/// <summary>The parsed command line of one verb: option values, flags and positional arguments.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;
    private IConfiguration? _configuration;

    public CliArguments(Dictionary<string, string> values, HashSet<string> flags, IReadOnlyList<string> positionals, IReadOnlyList<string> passThrough)
    {
        _values = values;
        _flags = flags;
        Positionals = positionals;
        PassThrough = passThrough;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Where the verb writes its results (set by <see cref="CommandLine"/>; the console by default).</summary>
    public TextWriter Out { get; set; } = Console.Out;

    /// <summary>Where the verb writes diagnostics (set by <see cref="CommandLine"/>; the console by default).</summary>
    public TextWriter Error { get; set; } = Console.Error;

    /// <summary>Standard input for verbs that read <c>-</c> (set by <see cref="CommandLine"/>; the console by default).</summary>
    public TextReader Stdin { get; set; } = Console.In;

    /// <summary>The settings every verb reads (<see cref="Composition.ProvenanceConfiguration"/>), built on first use.</summary>
    public IConfiguration Configuration => _configuration ??= Composition.ProvenanceConfiguration.ForCli([]);

    /// <summary>Options the verb does not declare, kept in order (for verbs that hand them to .NET configuration).</summary>
    public IReadOnlyList<string> PassThrough { get; }

    public bool Has(string flag) => _flags.Contains(flag) || _values.ContainsKey(flag);

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string Require(string name) =>
        Get(name) ?? throw new CliUsageException($"--{name} is required.");

    /// <summary>A required option holding a site, gateway or line id (a-z, 0-9, '-', '_').</summary>
    public string RequireIdentifier(string name)
    {
        var id = Require(name);
        return Core.Gateways.Identifier.IsValid(id)
            ? id
            : throw new CliUsageException($"--{name} '{id}' is not a valid id: use 1-64 characters a-z, 0-9, '-', '_'.");
    }

    public int GetInt(string name, int fallback)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"--{name} must be an integer, got '{text}'.");
    }

    public double GetDouble(string name, double? fallback = null)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback ?? throw new CliUsageException($"--{name} is required.");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"--{name} must be a number, got '{text}'.");
    }
}

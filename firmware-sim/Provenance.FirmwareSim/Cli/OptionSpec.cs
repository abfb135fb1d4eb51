namespace Provenance.FirmwareSim.Cli;

/// <summary>One command-line option: its name, value placeholder (null for a flag), default, help and how it applies.</summary>
internal sealed record OptionSpec(string Name, string? Value, string Default, string Help, Func<SimulatorOptions, string, SimulatorOptions> Apply)
{
    public bool IsFlag => Value is null;
}

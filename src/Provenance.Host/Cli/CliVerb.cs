namespace Provenance.Host.Cli;

/// <summary>One option of a CLI verb: <c>--name value</c>, or <c>--name</c> alone when it is a flag.</summary>
internal sealed record CliOption(string Name, string Description, string? Default = null, bool IsFlag = false, bool Required = false);

/// <summary>A CLI verb such as <c>nmea decode</c>: its words, what it does, its options and its handler.</summary>
internal sealed record CliVerb(
    string[] Words,
    string Summary,
    IReadOnlyList<CliOption> Options,
    Func<CliArguments, CancellationToken, Task<int>> RunAsync,
    string? ArgumentsUsage = null,
    string? Details = null,
    bool PassUnknownOptions = false,
    IReadOnlyList<(int Code, string Meaning)>? ExitCodes = null,
    string? ArgumentsDescription = null)
{
    public string Name => string.Join(' ', Words);
}

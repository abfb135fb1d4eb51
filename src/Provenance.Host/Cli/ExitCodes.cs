namespace Provenance.Host.Cli;

/// <summary>The exit codes of the <c>provenance</c> verbs, listed by every verb's <c>--help</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static IReadOnlyList<(int Code, string Meaning)> Default { get; } =
    [
        (Success, "done"),
        (Failed, "the work failed; the message says why and what to do (e.g. a data directory this user cannot write)"),
        (Usage, "the command line or a setting is wrong; the message names it"),
    ];
}

namespace Provenance.Host.Cli;

/// <summary>The verb cannot do its work for a reason the user can fix; the message says what to do (exit code 1).</summary>
internal sealed class CliFailureException(string message) : Exception(message);

namespace Provenance.Host.Cli;

/// <summary>The command line is wrong; the message says what to change. Exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

namespace Provenance.FirmwareSim.Cli;

/// <summary>A bad command line; the message names the option and says what is wrong (exit code 2).</summary>
public sealed class CommandLineException : Exception
{
    /// <summary>Creates the exception for <paramref name="option"/> (without dashes, or null for the command line as a whole).</summary>
    public CommandLineException(string? option, string message)
        : base(option is null ? message : $"--{option}: {message}")
    {
        Option = option;
    }

    /// <summary>Creates the exception.</summary>
    public CommandLineException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CommandLineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The offending option, without dashes.</summary>
    public string? Option { get; }
}

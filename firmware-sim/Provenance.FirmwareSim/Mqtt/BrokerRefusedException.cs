namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// The broker answered the connection with a refusal that retrying cannot heal (wrong user name or password, not
/// authorised, client id not accepted, banned): the run stops, and <c>firmware-sim</c> exits with
/// <see cref="ExitCode"/>. The message says what to do.
/// </summary>
public sealed class BrokerRefusedException : Exception
{
    /// <summary>The exit code of <c>firmware-sim</c> for this refusal.</summary>
    public const int ExitCode = 3;

    /// <summary>Creates the exception.</summary>
    public BrokerRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokerRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokerRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The broker's reason code, as MQTTnet names it.</summary>
    public string? ReasonCode { get; init; }
}

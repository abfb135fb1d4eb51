namespace Provenance.FirmwareSim;

/// <summary>How a simulator run ended.</summary>
public enum SimulatorOutcome
{
    /// <summary>Every code was sealed and every queued message acknowledged.</summary>
    Completed,

    /// <summary>The configured duration was over.</summary>
    DurationElapsed,

    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
}

namespace Provenance.Ingestion.Broker;

/// <summary>
/// Puts <see cref="MqttSubscriber"/> in the mode of <c>provenance mqtt retire</c>: instead of consuming for good, it takes
/// over a departed instance's broker session (its client id, Clean Start false), unsubscribes it from the shared group so
/// the broker routes nothing new to it, commits and acknowledges every message the broker had queued for it, and then
/// ends the session (Clean Start true, expiry 0). Registered only by that verb.
/// </summary>
public sealed class SessionRetirement(TimeSpan quiet, Action<string> progress)
{
    private readonly TaskCompletionSource<SessionRetirementOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long nothing may arrive (with nothing awaiting its commit) before the session counts as drained.</summary>
    public TimeSpan Quiet { get; } = quiet > TimeSpan.Zero ? quiet : throw new ArgumentOutOfRangeException(nameof(quiet), "the quiet period must be positive");

    /// <summary>Completes when the session is drained and ended; faults with what to do when it cannot be.</summary>
    public Task<SessionRetirementOutcome> Outcome => _outcome.Task;

    internal void Report(string line) => progress(line);

    internal void Complete(SessionRetirementOutcome outcome) => _outcome.TrySetResult(outcome);

    internal void Fail(Exception reason) => _outcome.TrySetException(reason);
}

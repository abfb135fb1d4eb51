namespace Provenance.FirmwareSim;

/// <summary>The end of a run: how it ended, what it sealed and what is still waiting in the queue.</summary>
/// <param name="Outcome">How the run ended.</param>
/// <param name="SealsQueued">New seal events queued in this run.</param>
/// <param name="SealsAcked">Seal events acknowledged in this run (replays included).</param>
/// <param name="Backlog">Messages left unacknowledged in the queue.</param>
public sealed record SimulatorResult(SimulatorOutcome Outcome, long SealsQueued, long SealsAcked, long Backlog);

namespace Provenance.Fabric;

/// <summary>
/// Where to start reading chaincode events: after a non-empty <see cref="Checkpoint"/>, else at
/// <see cref="StartBlock"/>, else at the next block to be committed.
/// </summary>
public sealed class ChaincodeEventsOptions
{
    /// <summary>The first block to read events from.</summary>
    public ulong? StartBlock { get; init; }

    /// <summary>Resume exactly after the last event recorded here; takes precedence over <see cref="StartBlock"/>.</summary>
    public ICheckpoint? Checkpoint { get; init; }
}

using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>A queued message at a point of its life: queued, or acknowledged by the broker.</summary>
public sealed class SimulatorMessageEventArgs(long index, QueuedMessage message) : EventArgs
{
    /// <summary>The message's position in the queue (0-based, over the queue's whole life).</summary>
    public long Index { get; } = index;

    /// <summary>The message: topic, signed payload, event ids.</summary>
    public QueuedMessage Message { get; } = message;
}

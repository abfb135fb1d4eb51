namespace Provenance.Fabric;

/// <summary>
/// A position in the event stream: the block to resume from, and the last transaction already processed in it
/// (null or empty to read that whole block).
/// </summary>
public interface ICheckpoint
{
    /// <summary>The block to resume reading from.</summary>
    ulong BlockNumber { get; }

    /// <summary>The last processed transaction in <see cref="BlockNumber"/>; events up to and including it are skipped.</summary>
    string? TransactionId { get; }
}

using Provenance.Storage.Journal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// Where provenance records go: the embedded hash-chained log, or a Fabric channel. An engine appends the seal
/// entries of a journal batch exactly once (idempotent by event id) and moves its own journal cursor
/// (<see cref="CursorName"/>) past what is recorded; a failure leaves the cursor where it was, so the batch is offered
/// again. Each engine has its own cursor: switching engines anchors every earlier seal on the new ledger.
/// </summary>
public interface ILedgerEngine
{
    string Name { get; }

    /// <summary>The journal cursor this engine moves (the embedded ledger keeps its historical name, <c>ledger</c>).</summary>
    string CursorName => EmbeddedLedger.SinkName;

    /// <summary>How many journal entries the ledger sink reads for one call.</summary>
    int PreferredBatchSize => 500;

    /// <summary>
    /// The journal position up to which entries are already taken (submitted, waiting for their commit) although the
    /// cursor has not passed them yet; the sink reads after it. Null for engines that complete within AppendAsync.
    /// </summary>
    long? TakenThrough => null;

    Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default);
}

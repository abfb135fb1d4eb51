using Provenance.Storage.Journal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// Where provenance records go: the embedded hash-chained log, or a Fabric channel. An engine appends the seal
/// entries of a journal batch exactly once (idempotent by event id) and then moves the ledger sink's cursor to
/// <c>cursorAfter</c>; a failure leaves the cursor where it was, so the batch is offered again.
/// </summary>
public interface ILedgerEngine
{
    string Name { get; }

    Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default);
}

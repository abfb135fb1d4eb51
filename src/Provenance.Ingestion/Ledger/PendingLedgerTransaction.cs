namespace Provenance.Ingestion.Ledger;

/// <summary>
/// A ledger transaction recorded before it was submitted, so that after an ambiguous failure or a restart its
/// outcome is asked for by id before anything is endorsed again. Immutable.
/// </summary>
/// <param name="TransactionId">The transaction id.</param>
/// <param name="FirstPosition">The journal position of its first seal.</param>
/// <param name="LastPosition">The journal position the ledger cursor moves to once it is complete.</param>
/// <param name="Seals">The seals it carries.</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="Envelope">
/// The endorsed transaction (unsigned bytes), so that a submit whose outcome is unknown is sent again under the same
/// transaction id (Fabric commits a transaction id once) instead of waiting for a commit that may never come.
/// </param>
public sealed record PendingLedgerTransaction(
    string TransactionId,
    long FirstPosition,
    long LastPosition,
    IReadOnlyList<PendingSeal> Seals,
    DateTimeOffset CreatedAt,
    byte[]? Envelope = null);

/// <summary>One seal of a <see cref="PendingLedgerTransaction"/>: the event and its tag.</summary>
/// <param name="EventId">The seal event id.</param>
/// <param name="Gtin">The tag's GTIN.</param>
/// <param name="Serial">The tag's serial.</param>
public sealed record PendingSeal(string EventId, string Gtin, string Serial);

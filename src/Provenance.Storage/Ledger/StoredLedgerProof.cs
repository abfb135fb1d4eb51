namespace Provenance.Storage.Ledger;

/// <summary>
/// Where an event is on an external ledger: the engine, the transaction that recorded it and its block, kept off-chain
/// as commits complete so that scans never ask the ledger on the request path. Immutable.
/// </summary>
/// <param name="EventId">The seal event id.</param>
/// <param name="Engine">The ledger engine, e.g. <c>fabric</c>.</param>
/// <param name="TransactionId">The transaction that recorded the event.</param>
/// <param name="BlockNumber">Its block, when known.</param>
/// <param name="CommittedAt">When this node learnt of the commit.</param>
/// <param name="Note">Why the proof is unusual (e.g. a duplicate found already on the ledger), or null.</param>
public sealed record StoredLedgerProof(
    string EventId,
    string Engine,
    string TransactionId,
    long? BlockNumber,
    DateTimeOffset CommittedAt,
    string? Note);

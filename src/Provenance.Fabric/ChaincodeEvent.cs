namespace Provenance.Fabric;

/// <summary>An event emitted by a chaincode in a committed, valid transaction. Immutable.</summary>
/// <param name="BlockNumber">The block holding the transaction.</param>
/// <param name="TransactionId">The transaction that emitted the event.</param>
/// <param name="ChaincodeName">The chaincode.</param>
/// <param name="EventName">The event's name, set by the chaincode.</param>
/// <param name="Payload">The event's payload.</param>
public sealed record ChaincodeEvent(
    ulong BlockNumber, string TransactionId, string ChaincodeName, string EventName, ReadOnlyMemory<byte> Payload);

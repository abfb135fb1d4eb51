namespace Provenance.Fabric;

/// <summary>A checkpoint held in memory only. Thread-safe.</summary>
public sealed class InMemoryCheckpointer : ICheckpoint
{
    private readonly Lock _gate = new();
    private (ulong Block, string? TransactionId) _state;

    /// <inheritdoc />
    public ulong BlockNumber
    {
        get
        {
            lock (_gate)
            {
                return _state.Block;
            }
        }
    }

    /// <inheritdoc />
    public string? TransactionId
    {
        get
        {
            lock (_gate)
            {
                return _state.TransactionId;
            }
        }
    }

    /// <summary>Records a whole block as processed: resume at the next block.</summary>
    public void CheckpointBlock(ulong blockNumber) => CheckpointTransaction(blockNumber + 1, null);

    /// <summary>Records a transaction as processed: resume after it.</summary>
    public void CheckpointTransaction(ulong blockNumber, string? transactionId)
    {
        lock (_gate)
        {
            _state = (blockNumber, transactionId);
        }
    }

    /// <summary>Records an event as processed: resume after its transaction.</summary>
    public void CheckpointChaincodeEvent(ChaincodeEvent chaincodeEvent)
    {
        ArgumentNullException.ThrowIfNull(chaincodeEvent);
        CheckpointTransaction(chaincodeEvent.BlockNumber, chaincodeEvent.TransactionId);
    }
}

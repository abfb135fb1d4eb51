using WireChaincodeEvent = Provenance.Fabric.Protos.Peer.ChaincodeEvent;
using WireValidationCode = Provenance.Fabric.Protos.Peer.TxValidationCode;

namespace Provenance.Fabric.Tests.Support;

/// <summary>A transaction in a block: its validation code and, if valid, its chaincode event.</summary>
internal sealed record CommittedTransaction(string TransactionId, WireValidationCode Code, WireChaincodeEvent? Event);

/// <summary>A block: its number and transactions.</summary>
internal sealed record LedgerBlock(ulong Number, IReadOnlyList<CommittedTransaction> Transactions);

/// <summary>
/// The fake peer's ledger: versioned world state, endorsed-but-not-ordered transactions, one block per ordered
/// transaction (block 0 is the genesis block), MVCC validation at commit, commit-status and new-block waiters.
/// Thread-safe.
/// </summary>
internal sealed class ToyLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (byte[] Value, ulong Version)> _state = [];
    private readonly Dictionary<string, (byte[] Payload, Simulation Simulation, string ChaincodeName)> _endorsed = [];
    private readonly List<LedgerBlock> _blocks = [new LedgerBlock(0, [])];
    private readonly Dictionary<string, TaskCompletionSource<(WireValidationCode Code, ulong Block)>> _commits = [];
    private readonly Queue<WireValidationCode> _forcedCodes = new();
    private TaskCompletionSource _nextBlock = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ulong Height
    {
        get
        {
            lock (_gate)
            {
                return (ulong)_blocks.Count;
            }
        }
    }

    /// <summary>The next committed transaction gets this validation code, whatever its reads.</summary>
    public void ForceNextValidationCode(TxValidationCode code)
    {
        lock (_gate)
        {
            _forcedCodes.Enqueue((WireValidationCode)(int)code);
        }
    }

    public (byte[]? Value, ulong Version) Read(string key)
    {
        lock (_gate)
        {
            return _state.TryGetValue(key, out var entry) ? entry : (null, 0);
        }
    }

    public void RecordEndorsement(string transactionId, byte[] envelopePayload, Simulation simulation, string chaincodeName)
    {
        lock (_gate)
        {
            _endorsed[transactionId] = (envelopePayload, simulation, chaincodeName);
        }
    }

    public byte[]? EndorsedPayload(string transactionId)
    {
        lock (_gate)
        {
            return _endorsed.TryGetValue(transactionId, out var e) ? e.Payload : null;
        }
    }

    /// <summary>Orders and commits an endorsed transaction in a new block, validating its reads (MVCC).</summary>
    public ulong Commit(string transactionId)
    {
        TaskCompletionSource blockSignal;
        ulong number;
        lock (_gate)
        {
            var (_, simulation, chaincodeName) = _endorsed[transactionId];
            _endorsed.Remove(transactionId);
            number = (ulong)_blocks.Count;
            var code = _forcedCodes.Count > 0 ? _forcedCodes.Dequeue() : Validate(simulation);
            if (_commits.ContainsKey(transactionId) && _commits[transactionId].Task.IsCompleted)
            {
                code = WireValidationCode.DuplicateTxid;
            }

            WireChaincodeEvent? chaincodeEvent = null;
            if (code == WireValidationCode.Valid)
            {
                foreach (var (key, value) in simulation.Writes)
                {
                    _state[key] = (value, number);
                }

                if (simulation.Event is { } e)
                {
                    chaincodeEvent = new WireChaincodeEvent { ChaincodeId = chaincodeName, TxId = transactionId, EventName = e.Name, Payload = Google.Protobuf.ByteString.CopyFrom(e.Payload) };
                }
            }

            _blocks.Add(new LedgerBlock(number, [new CommittedTransaction(transactionId, code, chaincodeEvent)]));
            CommitSource(transactionId).TrySetResult((code, number));
            blockSignal = _nextBlock;
            _nextBlock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        blockSignal.SetResult();
        return number;
    }

    /// <summary>Whether a transaction id has been committed (validly or not).</summary>
    public bool IsCommitted(string transactionId)
    {
        lock (_gate)
        {
            return _commits.TryGetValue(transactionId, out var source) && source.Task.IsCompleted;
        }
    }

    public Task<(WireValidationCode Code, ulong Block)> WaitForCommitAsync(string transactionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return CommitSource(transactionId).Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The blocks from <paramref name="from"/> on, and a task that completes when another block is added.</summary>
    public (IReadOnlyList<LedgerBlock> Blocks, Task NextBlock) BlocksFrom(ulong from)
    {
        lock (_gate)
        {
            var blocks = from < (ulong)_blocks.Count ? _blocks.GetRange((int)from, _blocks.Count - (int)from) : [];
            return (blocks, _nextBlock.Task);
        }
    }

    private WireValidationCode Validate(Simulation simulation)
    {
        foreach (var (key, version) in simulation.Reads)
        {
            var current = _state.TryGetValue(key, out var entry) ? entry.Version : 0;
            if (current != version)
            {
                return WireValidationCode.MvccReadConflict;
            }
        }

        return WireValidationCode.Valid;
    }

    private TaskCompletionSource<(WireValidationCode, ulong)> CommitSource(string transactionId)
    {
        if (!_commits.TryGetValue(transactionId, out var source))
        {
            source = new TaskCompletionSource<(WireValidationCode, ulong)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _commits[transactionId] = source;
        }

        return source;
    }
}

using System.Text;
using Microsoft.Extensions.Logging;
using Provenance.Fabric;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The <c>fabric</c> ledger engine: submits the journal's seals to the provenance chaincode's RecordSeals in full
/// transactions (up to <see cref="FabricLedgerOptions.MaxRecordsPerTransaction"/> records, each gateway message once;
/// a smaller one only once its oldest seal is <see cref="FabricLedgerOptions.MaxBatchAge"/> old), with up to
/// <see cref="FabricLedgerOptions.MaxTransactionsInFlight"/> transactions waiting for their commit at a time. Each
/// transaction id is recorded before it is submitted; a committed transaction's proofs and rejected records (dead
/// letters, <c>ledger_rejected</c>) are stored as it completes, and the engine's own cursor moves in journal order
/// past what has completed (<see cref="FabricCommitTracker"/>). After any failure the engine waits for what is in
/// flight, asks for the commit status of every unresolved transaction, and reads the journal again from its cursor
/// (the chaincode is idempotent by event id, so nothing is duplicated). Failures that retrying will not heal are
/// thrown as <see cref="LedgerUnavailableException"/>. Gateways are brought up to date on the chain before their
/// seals are submitted. Driven by one ledger sink: <see cref="AppendAsync"/> is not called concurrently.
/// </summary>
public sealed partial class FabricLedgerEngine : ILedgerEngine, IDisposable
{
    /// <summary>The dead-letter reason code of a record the chaincode rejected.</summary>
    public const string RejectedReasonCode = "ledger_rejected";

    private static readonly TimeSpan CommitProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly Contract _contract;
    private readonly FabricLedgerState _state;
    private readonly FabricGatewayRegistrar _registrar;
    private readonly FabricLedgerOptions _options;
    private readonly ILogger<FabricLedgerEngine> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly FabricCommitTracker _tracker;
    private readonly CancellationTokenSource _stopping = new();
    private long _taken = -1;
    private volatile bool _resolved;

    public FabricLedgerEngine(
        Contract contract,
        FabricLedgerState state,
        FabricGatewayRegistrar registrar,
        FabricLedgerOptions options,
        ILogger<FabricLedgerEngine> logger,
        TimeProvider? time = null)
    {
        _contract = contract;
        _state = state;
        _registrar = registrar;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.MaxTransactionsInFlight, options.MaxTransactionsInFlight);
        _tracker = new FabricCommitTracker(state.AdvanceCursor);
    }

    /// <inheritdoc/>
    public string Name => FabricLedgerState.Engine;

    /// <inheritdoc/>
    public string CursorName => FabricLedgerState.CursorName;

    /// <inheritdoc/>
    public int PreferredBatchSize => _options.MaxRecordsPerTransaction * 2;

    /// <inheritdoc/>
    /// <remarks>Null after a failure, so that the sink reads from the cursor and the next call resets.</remarks>
    public long? TakenThrough => _taken < 0 || !_resolved || _tracker.HasFailed ? null : Interlocked.Read(ref _taken);

    /// <summary>Transactions submitted and waiting for their commit.</summary>
    public int InFlight => _tracker.InFlight;

    /// <summary>Waits until every transaction in flight has committed or failed.</summary>
    public Task DrainAsync() => _tracker.DrainAsync();

    /// <inheritdoc/>
    public async Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        try
        {
            return await AppendCoreAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw FabricFailures.Classify(e, _options);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task<int> AppendCoreAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (_tracker.HasFailed || !_resolved)
        {
            // Start, or a transaction failed: let the rest finish, learn the outcome of everything unresolved, and read
            // the journal again from the cursor.
            var failure = await _tracker.ResetAsync().ConfigureAwait(false);
            Interlocked.Exchange(ref _taken, _state.Cursor());
            _resolved = false;
            failure?.Throw();
            await ResolvePendingAsync(cancellationToken).ConfigureAwait(false);
            _resolved = true;
        }

        var fresh = entries.Where(e => e.Position > Interlocked.Read(ref _taken)).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        var seals = _state.LoadUnproven(fresh);
        var submitted = 0;
        var next = 0; // the first seal not yet in a transaction
        while (true)
        {
            var remaining = seals.Count - next;
            var full = remaining >= _options.MaxRecordsPerTransaction;
            if (remaining == 0 || (!full && !IsDue(seals[next])))
            {
                break;
            }

            var chunk = seals.Skip(next).Take(_options.MaxRecordsPerTransaction).ToList();
            next += chunk.Count;
            // A chunk covers the journal up to its last seal, or to the end of what was read when it takes the rest.
            var last = next == seals.Count ? fresh[^1].Position : chunk[^1].Position;
            submitted += await SubmitAsync(chunk, last, cancellationToken).ConfigureAwait(false);
        }

        if (seals.Count == 0)
        {
            // Nothing to record in what was read (fixes, scans, seals already proven): the cursor may pass it in order.
            _tracker.Skip(fresh[^1].Position);
            Interlocked.Exchange(ref _taken, fresh[^1].Position);
        }
        else if (next < seals.Count && submitted == 0)
        {
            // A partial batch that is not due yet: let it fill up; the sink reads the journal again and calls back.
            var wait = seals[next].QueuedAt + _options.MaxBatchAge - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        return submitted;
    }

    private bool IsDue(LedgerSeal oldest) => _time.GetUtcNow() - oldest.QueuedAt >= _options.MaxBatchAge;

    /// <summary>Endorses and submits one transaction and leaves its commit to the tracker; returns the records submitted.</summary>
    private async Task<int> SubmitAsync(List<LedgerSeal> chunk, long lastPosition, CancellationToken cancellationToken)
    {
        var letters = chunk.Where(s => s.Jws is null)
            .Select(s => new DeadLetter(s.Topic, RejectedReasonCode, $"seal {s.EventId} or its signed gateway message is missing from the database", s.EventId, []))
            .ToList();
        var records = chunk.Where(s => s.Jws is not null).ToList();
        if (records.Count == 0)
        {
            _state.Complete(null, [], letters);
            _tracker.Skip(lastPosition);
            Interlocked.Exchange(ref _taken, lastPosition);
            return 0;
        }

        var gateways = records.Select(s => s.GatewayId).Distinct(StringComparer.Ordinal).ToList();
        if (!_registrar.AreCurrent(gateways))
        {
            // A registry change on the chain invalidates transactions in flight that read the gateway: let them finish first.
            await _tracker.DrainAsync().ConfigureAwait(false);
            await _registrar.EnsureRegisteredAsync(gateways, cancellationToken).ConfigureAwait(false);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Transaction transaction;
        try
        {
            var proposal = _contract.NewProposal("RecordSeals", ProposalOptions.WithArguments(ChaincodeJson.Batch(records)));
            transaction = await proposal.EndorseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        var txId = transaction.TransactionId;
        _state.AddPending(new PendingLedgerTransaction(
            txId, records[0].Position, lastPosition, [.. records.Select(s => new PendingSeal(s.EventId, s.Gtin, s.Serial))], _time.GetUtcNow(), transaction.GetBytes()));
        SubmittedTransaction submitted;
        try
        {
            submitted = await transaction.SubmitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Ambiguous: the orderer may have it. Its commit status decides (next call) before anything is endorsed again.
            _slots.Release();
            _resolved = false;
            throw;
        }

        var result = ChaincodeJson.ParseResult(transaction.Result.Span);
        _tracker.Track(lastPosition, () => CompleteAsync(transaction, submitted, records, letters, result));
        Interlocked.Exchange(ref _taken, lastPosition);
        return records.Count;
    }

    private async Task CompleteAsync(Transaction transaction, SubmittedTransaction submitted, List<LedgerSeal> records, List<DeadLetter> letters, RecordSealsResult result)
    {
        try
        {
            var txId = submitted.TransactionId;
            var status = await AwaitCommitAsync(transaction, submitted, _stopping.Token).ConfigureAwait(false);
            if (!status.Successful)
            {
                // Nothing of an invalid transaction reached the world state: its seals are endorsed again.
                _state.DropPending(txId);
                throw new CommitException(status);
            }

            var now = _time.GetUtcNow();
            var proofs = result.Stored.Select(id => new StoredLedgerProof(id, Name, txId, (long)status.BlockNumber, now, null)).ToList();
            var byEvent = records.ToDictionary(s => s.EventId, StringComparer.Ordinal);
            foreach (var eventId in result.Duplicates.Where(byEvent.ContainsKey))
            {
                // Recorded by an earlier transaction: its proof is that one. If it cannot be looked up now, the failure
                // keeps the transaction pending and the cursor before it; the seal is asked about again.
                proofs.Add(await OriginalProofAsync(byEvent[eventId], now, _stopping.Token).ConfigureAwait(false));
            }

            var reported = new HashSet<string>(result.Stored.Concat(result.Duplicates), StringComparer.Ordinal);
            foreach (var rejection in result.Rejected)
            {
                var seal = rejection.Index >= 0 && rejection.Index < records.Count ? records[rejection.Index] : null;
                if (seal is not null && reported.Add(seal.EventId))
                {
                    letters.Add(Rejected(seal, $"{rejection.Code}: {rejection.Reason} (transaction {txId})"));
                    LogRejected(seal.EventId, rejection.Code, rejection.Reason, txId);
                }
            }

            foreach (var seal in records.Where(s => !reported.Contains(s.EventId)))
            {
                letters.Add(Rejected(seal, $"not-reported: RecordSeals did not report this record (transaction {txId})"));
            }

            _state.Complete(txId, proofs, letters);
            LogCommitted(txId, status.BlockNumber, result.Stored.Count, result.Duplicates.Count, result.Rejected.Count);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Learns the outcome of every transaction recorded as pending (from before a failure or a restart): its commit
    /// status if the peer knows it, else it is sent to the orderer again under the same transaction id (a transaction
    /// id commits once; a second copy is marked invalid) and its commit is awaited.
    /// </summary>
    private async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        foreach (var pending in _state.ListPending())
        {
            var status = await ProbeCommitStatusAsync(pending.TransactionId, cancellationToken).ConfigureAwait(false);
            if (status is null && pending.Envelope is { } envelope)
            {
                var transaction = _contract.Network.Gateway.NewTransaction(envelope);
                var submitted = await transaction.SubmitAsync(cancellationToken).ConfigureAwait(false);
                LogResubmitted(pending.TransactionId);
                status = await AwaitCommitAsync(transaction, submitted, cancellationToken).ConfigureAwait(false);
            }

            if (status is null)
            {
                if (_time.GetUtcNow() - pending.CreatedAt < _options.PendingResolutionLimit)
                {
                    LogStillUnknown(pending.TransactionId);
                    throw new InvalidOperationException($"the outcome of pending transaction {pending.TransactionId} is still unknown");
                }

                // Never seen committed within the limit: endorse its seals again (the chaincode reports duplicates).
                LogGaveUp(pending.TransactionId, _options.PendingResolutionLimit.TotalSeconds);
                _state.DropPending(pending.TransactionId);
                continue;
            }

            if (!status.Successful)
            {
                LogResolvedInvalid(pending.TransactionId, status.CodeName);
                _state.DropPending(pending.TransactionId);
                continue;
            }

            // Committed: the result is not in the commit status, so ask the chain which records it holds. Records it
            // does not hold were rejected; they stay unproven and are submitted again, and rejected again with the reason.
            var now = _time.GetUtcNow();
            var proofs = new List<StoredLedgerProof>();
            foreach (var seal in pending.Seals)
            {
                var record = await TagRecordAsync(seal.Gtin, seal.Serial, cancellationToken).ConfigureAwait(false);
                if (record is { } r && r.EventId == seal.EventId)
                {
                    proofs.Add(r.TransactionId == pending.TransactionId || r.TransactionId.Length == 0
                        ? new StoredLedgerProof(seal.EventId, Name, pending.TransactionId, (long)status.BlockNumber, now, null)
                        : await ProofOfAsync(seal.EventId, r.TransactionId, now, cancellationToken).ConfigureAwait(false));
                }
            }

            _state.Complete(pending.TransactionId, proofs, []);
            LogResolvedCommitted(pending.TransactionId, status.BlockNumber, proofs.Count, pending.Seals.Count);
        }
    }

    /// <summary>
    /// Waits for a submitted transaction's commit status. The orderer accepts a transaction before it is in a block and
    /// loses it if it crashes in between, so a commit that has not come within <see cref="FabricLedgerOptions.ResubmitAfter"/>
    /// is asked for again after the same envelope is sent to the orderer again (one transaction id commits once; the
    /// peer answers the first copy's status), until <see cref="FabricLedgerOptions.CommitStatusTimeout"/> has passed
    /// in all. Nothing the peer answers tells a lost transaction from a commit that is only slow (a peer catching up
    /// after a restart), where every copy lands in a block as an invalid duplicate, so the wait doubles after each copy
    /// the orderer accepts. A copy it refuses (still down, or electing a leader) reaches no block: the wait stays. At the
    /// deadline the status is asked for once more, as a copy sent shortly before it may be committing.
    /// </summary>
    private async Task<CommitStatus> AwaitCommitAsync(Transaction transaction, Commit commit, CancellationToken cancellationToken)
    {
        var submittedAt = _time.GetUtcNow();
        var deadline = submittedAt + _options.CommitStatusTimeout;
        var wait = _options.ResubmitAfter;
        var sent = 1;
        Exception? unanswered = null;
        while (true)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                try
                {
                    if (await ProbeCommitStatusAsync(transaction.TransactionId, cancellationToken).ConfigureAwait(false) is { } late)
                    {
                        return late;
                    }
                }
                catch (GatewayException e) when (!cancellationToken.IsCancellationRequested)
                {
                    unanswered = e;
                }

                throw new TimeoutException(
                    $"Transaction {transaction.TransactionId} was not committed within {_options.CommitStatusTimeout.TotalSeconds:0.#} s "
                    + $"(sent to the orderer {sent} time(s)); its outcome is asked for before anything is endorsed again.",
                    unanswered);
            }

            var lastRound = left <= wait;
            using (var round = new CancellationTokenSource(lastRound ? left : wait, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, round.Token))
            {
                try
                {
                    return await commit.GetStatusAsync(linked.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (round.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // No commit within the round: the orderer may have lost the transaction.
                    unanswered = e;
                }
            }

            // The round the deadline cut short sends nothing: a copy sent then would have no time to commit (its timer
            // may also fire a fraction of a millisecond before the deadline, which must not count as time left).
            if (lastRound || _time.GetUtcNow() >= deadline)
            {
                continue;
            }

            try
            {
                await transaction.SubmitAsync(cancellationToken).ConfigureAwait(false);
                sent++;
                wait *= 2;
                LogResubmittedUncommitted(transaction.TransactionId, Math.Round((_time.GetUtcNow() - submittedAt).TotalSeconds, 1));
            }
            catch (SubmitException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogResubmitRefused(transaction.TransactionId, e.Message);
            }
        }
    }

    /// <summary>The commit status of a transaction the peer has committed, or null when it has not within a short wait.</summary>
    private async Task<CommitStatus?> ProbeCommitStatusAsync(string transactionId, CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(CommitProbeTimeout);
        try
        {
            return await _contract.Network.GetCommitStatusAsync(transactionId, probe.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && (probe.IsCancellationRequested || e is CommitStatusException { StatusCode: Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.DeadlineExceeded }))
        {
            return null;
        }
    }

    private async Task<StoredLedgerProof> OriginalProofAsync(LedgerSeal seal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await TagRecordAsync(seal.Gtin, seal.Serial, cancellationToken).ConfigureAwait(false);
        if (record is not { } r || r.EventId != seal.EventId || r.TransactionId.Length == 0)
        {
            throw new InvalidOperationException(
                $"RecordSeals reported seal {seal.EventId} as a duplicate, but the chain's record of tag {seal.Gtin}/{seal.Serial} is not it; it stays pending");
        }

        return await ProofOfAsync(seal.EventId, r.TransactionId, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The proof of an event recorded by an earlier transaction: that transaction and its block (asked for by id).</summary>
    private async Task<StoredLedgerProof> ProofOfAsync(string eventId, string originalTxId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = await _contract.Network.GetCommitStatusAsync(originalTxId, cancellationToken).ConfigureAwait(false);
        return new StoredLedgerProof(eventId, Name, originalTxId, (long)status.BlockNumber, now, "duplicate: already on the ledger");
    }

    private async Task<(string EventId, string TransactionId)?> TagRecordAsync(string gtin, string serial, CancellationToken cancellationToken) =>
        ChaincodeJson.ParseTagRecord(await _contract.EvaluateAsync("GetTagRecord", [gtin, serial], cancellationToken).ConfigureAwait(false));

    private static DeadLetter Rejected(LedgerSeal seal, string reason) =>
        new(seal.Topic, RejectedReasonCode, reason, seal.EventId, Encoding.ASCII.GetBytes(seal.Jws ?? string.Empty));

    [LoggerMessage(EventId = 3110, Level = LogLevel.Debug, Message = "Transaction {TransactionId} committed in block {BlockNumber}: {Stored} stored, {Duplicates} duplicates, {Rejected} rejected")]
    private partial void LogCommitted(string transactionId, ulong blockNumber, int stored, int duplicates, int rejected);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "The chaincode rejected seal {EventId}: {Code}: {Reason} (transaction {TransactionId}); dead-lettered")]
    private partial void LogRejected(string eventId, string code, string reason, string transactionId);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Pending transaction {TransactionId} had committed in block {BlockNumber}; {Proven} of {Seals} seals are on the ledger")]
    private partial void LogResolvedCommitted(string transactionId, ulong blockNumber, int proven, int seals);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Pending transaction {TransactionId} committed as invalid ({Code}); its seals will be endorsed again")]
    private partial void LogResolvedInvalid(string transactionId, string code);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning, Message = "The outcome of pending transaction {TransactionId} is still unknown; asking again before endorsing anything")]
    private partial void LogStillUnknown(string transactionId);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Warning, Message = "Pending transaction {TransactionId} was not seen committed within {LimitSeconds} s; its seals will be endorsed again")]
    private partial void LogGaveUp(string transactionId, double limitSeconds);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Warning, Message = "Transaction {TransactionId} was not committed within {Seconds} s; sent it to the orderer again under the same transaction id")]
    private partial void LogResubmittedUncommitted(string transactionId, double seconds);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Warning, Message = "Sending uncommitted transaction {TransactionId} to the orderer again failed ({Reason}); still waiting for its commit")]
    private partial void LogResubmitRefused(string transactionId, string reason);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Pending transaction {TransactionId} was not committed; sent it to the orderer again under the same transaction id")]
    private partial void LogResubmitted(string transactionId);
}

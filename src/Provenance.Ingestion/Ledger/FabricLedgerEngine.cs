using System.Text;
using Microsoft.Extensions.Logging;
using Provenance.Fabric;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The <c>fabric</c> ledger engine: submits the seals of a journal batch to the provenance chaincode's RecordSeals, up
/// to <see cref="FabricLedgerOptions.MaxRecordsPerTransaction"/> per transaction. Each transaction id is recorded
/// before it is submitted; after an ambiguous failure (submit, commit status) or a restart, the next call first asks
/// for that transaction's commit status and endorses again only if it did not commit (the chaincode is idempotent by
/// event id, so even that cannot duplicate a record). A committed transaction's proofs, its rejected records (dead
/// letters, <c>ledger_rejected</c>) and the cursor are stored in one SQLite transaction. Gateways are registered on
/// the chain before their seals are submitted. Not thread-safe: one ledger sink drives it.
/// </summary>
public sealed partial class FabricLedgerEngine(
    Contract contract,
    FabricLedgerState state,
    FabricGatewayRegistrar registrar,
    FabricLedgerOptions options,
    ILogger<FabricLedgerEngine> logger,
    TimeProvider? time = null) : ILedgerEngine
{
    /// <summary>The dead-letter reason code of a record the chaincode rejected.</summary>
    public const string RejectedReasonCode = "ledger_rejected";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public string Name => FabricLedgerState.Engine;

    /// <inheritdoc/>
    public async Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await ResolvePendingAsync(cancellationToken).ConfigureAwait(false);
        var seals = state.LoadUnproven(entries);
        if (seals.Count == 0)
        {
            state.Complete(null, [], [], cursorAfter);
            return 0;
        }

        if (seals.Count < options.MaxRecordsPerTransaction && options.MaxBatchAge > TimeSpan.Zero)
        {
            var oldest = entries.First(e => e.Position == seals[0].Position).CreatedAt;
            var wait = oldest + options.MaxBatchAge - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // Let the batch fill up; the sink reads the journal again and calls back.
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }

        await registrar.EnsureRegisteredAsync(seals.Where(s => s.Jws is not null).Select(s => s.GatewayId), cancellationToken).ConfigureAwait(false);
        var recorded = 0;
        var chunk = new List<LedgerSeal>();
        var letters = new List<DeadLetter>();
        for (var i = 0; i < seals.Count; i++)
        {
            var seal = seals[i];
            if (seal.Jws is null)
            {
                letters.Add(new DeadLetter(seal.Topic, RejectedReasonCode, $"seal {seal.EventId} or its signed gateway message is missing from the database", seal.EventId, []));
            }
            else
            {
                chunk.Add(seal);
            }

            var last = i == seals.Count - 1;
            if (chunk.Count == options.MaxRecordsPerTransaction || last)
            {
                var cursor = last ? cursorAfter : seal.Position;
                recorded += chunk.Count == 0
                    ? Complete(null, [], letters, cursor)
                    : await SubmitAsync(chunk, letters, cursor, cancellationToken).ConfigureAwait(false);
                chunk = [];
                letters = [];
            }
        }

        return recorded;
    }

    private async Task<int> SubmitAsync(List<LedgerSeal> chunk, List<DeadLetter> letters, long cursor, CancellationToken cancellationToken)
    {
        var proposal = contract.NewProposal("RecordSeals", ProposalOptions.WithArguments(ChaincodeJson.Batch(chunk)));
        var transaction = await proposal.EndorseAsync(cancellationToken).ConfigureAwait(false);
        var result = ChaincodeJson.ParseResult(transaction.Result.Span);
        var txId = transaction.TransactionId;
        state.AddPending(new PendingLedgerTransaction(
            txId, chunk[0].Position, cursor, [.. chunk.Select(s => new PendingSeal(s.EventId, s.Gtin, s.Serial))], _time.GetUtcNow()));
        var submitted = await transaction.SubmitAsync(cancellationToken).ConfigureAwait(false);
        var status = await submitted.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (!status.Successful)
        {
            // Nothing of an invalid transaction reached the world state: endorse again next time.
            state.DropPending(txId);
            throw new CommitException(status);
        }

        var now = _time.GetUtcNow();
        var proofs = new List<StoredLedgerProof>();
        var byEvent = chunk.ToDictionary(s => s.EventId, StringComparer.Ordinal);
        foreach (var eventId in result.Stored)
        {
            proofs.Add(new StoredLedgerProof(eventId, Name, txId, (long)status.BlockNumber, now, null));
        }

        foreach (var eventId in result.Duplicates.Where(byEvent.ContainsKey))
        {
            proofs.Add(await DuplicateProofAsync(byEvent[eventId], status, now, cancellationToken).ConfigureAwait(false));
        }

        var reported = new HashSet<string>(result.Stored.Concat(result.Duplicates), StringComparer.Ordinal);
        foreach (var rejection in result.Rejected)
        {
            var seal = rejection.Index >= 0 && rejection.Index < chunk.Count ? chunk[rejection.Index] : null;
            if (seal is not null && reported.Add(seal.EventId))
            {
                letters.Add(Rejected(seal, $"{rejection.Code}: {rejection.Reason} (transaction {txId})"));
                LogRejected(seal.EventId, rejection.Code, rejection.Reason, txId);
            }
        }

        foreach (var seal in chunk.Where(s => !reported.Contains(s.EventId)))
        {
            letters.Add(Rejected(seal, $"not-reported: RecordSeals did not report this record (transaction {txId})"));
        }

        Complete(txId, proofs, letters, cursor);
        LogCommitted(txId, status.BlockNumber, result.Stored.Count, result.Duplicates.Count, result.Rejected.Count);
        return result.Stored.Count;
    }

    private int Complete(string? txId, IReadOnlyList<StoredLedgerProof> proofs, IReadOnlyList<DeadLetter> letters, long cursor)
    {
        state.Complete(txId, proofs, letters, cursor);
        return 0;
    }

    private async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        foreach (var pending in state.ListPending())
        {
            CommitStatus status;
            try
            {
                status = await contract.Network.GetCommitStatusAsync(pending.TransactionId, cancellationToken).ConfigureAwait(false);
            }
            catch (CommitStatusException e) when (e.IsTransient || e.StatusCode is Grpc.Core.StatusCode.NotFound)
            {
                if (_time.GetUtcNow() - pending.CreatedAt < options.PendingResolutionLimit)
                {
                    LogStillUnknown(pending.TransactionId);
                    throw;
                }

                // Never seen committed within the limit: endorse its seals again (the chaincode reports duplicates).
                LogGaveUp(pending.TransactionId, options.PendingResolutionLimit.TotalSeconds);
                state.DropPending(pending.TransactionId);
                continue;
            }

            if (!status.Successful)
            {
                LogResolvedInvalid(pending.TransactionId, status.CodeName);
                state.DropPending(pending.TransactionId);
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
                        : await OriginalProofAsync(seal.EventId, r.TransactionId, now, cancellationToken).ConfigureAwait(false));
                }
            }

            state.Complete(pending.TransactionId, proofs, [], null);
            LogResolvedCommitted(pending.TransactionId, status.BlockNumber, proofs.Count, pending.Seals.Count);
        }
    }

    private async Task<StoredLedgerProof> DuplicateProofAsync(LedgerSeal seal, CommitStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var record = await TagRecordAsync(seal.Gtin, seal.Serial, cancellationToken).ConfigureAwait(false);
            if (record is { } r && r.EventId == seal.EventId && r.TransactionId.Length > 0)
            {
                return await OriginalProofAsync(seal.EventId, r.TransactionId, now, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (GatewayException e)
        {
            LogDuplicateLookupFailed(e, seal.EventId);
        }

        return new StoredLedgerProof(seal.EventId, Name, status.TransactionId, (long)status.BlockNumber, now, "duplicate: recorded by an earlier transaction that could not be looked up");
    }

    private async Task<StoredLedgerProof> OriginalProofAsync(string eventId, string originalTxId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long? block = null;
        try
        {
            block = (long)(await contract.Network.GetCommitStatusAsync(originalTxId, cancellationToken).ConfigureAwait(false)).BlockNumber;
        }
        catch (GatewayException e)
        {
            LogDuplicateLookupFailed(e, eventId);
        }

        return new StoredLedgerProof(eventId, Name, originalTxId, block, now, "duplicate: already on the ledger");
    }

    private async Task<(string EventId, string TransactionId)?> TagRecordAsync(string gtin, string serial, CancellationToken cancellationToken) =>
        ChaincodeJson.ParseTagRecord(await contract.EvaluateAsync("GetTagRecord", [gtin, serial], cancellationToken).ConfigureAwait(false));

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

    [LoggerMessage(EventId = 3116, Level = LogLevel.Warning, Message = "Could not look up the original transaction of duplicate seal {EventId}")]
    private partial void LogDuplicateLookupFailed(Exception exception, string eventId);
}

using System.Security.Cryptography;
using Google.Protobuf;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Ledger;
using Provenance.Fabric.Protos.Msp;
using Provenance.Fabric.Protos.Peer;

namespace Provenance.Fabric;

/// <summary>
/// Re-checks a <see cref="TransactionProof"/> offline, part by part, the way a committing peer would: the envelope is an
/// endorser transaction with this id (the id is the hash of its nonce and creator), the creator's signature over the
/// payload, each endorsement's signature over the proposal response payload and the endorser, the endorsed response
/// being for this transaction's proposal, the block's data hash over its envelopes, the orderer's signature over the
/// block header, and the validation code. With an <see cref="MspTrust"/> every signer's certificate must chain to a CA
/// of the MSPs given (at the transaction's time); without one, signatures are checked with the certificates the proof
/// itself carries, which says nothing about who they belong to. Does not evaluate the endorsement policy. Pure and
/// thread-safe.
/// </summary>
public static class TransactionProofVerifier
{
    public const string Envelope = "fabric-envelope";
    public const string CreatorSignature = "fabric-creator-signature";
    public const string Endorsements = "fabric-endorsements";
    public const string ValidationCode = "fabric-validation-code";
    public const string DataHash = "fabric-data-hash";
    public const string OrdererSignature = "fabric-orderer-signature";

    private const int EndorserTransaction = 3;

    /// <summary>
    /// Checks <paramref name="proof"/>; <paramref name="trust"/> anchors the signers (null: not anchored). Certificates are
    /// checked at the transaction's own timestamp; <paramref name="time"/> (default: the system clock) stands in when the
    /// transaction carries none.
    /// </summary>
    public static TransactionProofReport Verify(TransactionProof proof, MspTrust? trust, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var checks = new List<TransactionProofCheck>();
        var transaction = ReadTransaction(proof, checks, now);
        if (transaction is not null)
        {
            checks.Add(CheckCreator(proof, transaction, trust));
            checks.Add(CheckEndorsements(transaction, trust));
        }

        checks.Add(CheckValidationCode(proof));
        var header = CheckDataHash(proof, checks);
        checks.Add(CheckOrderer(proof, header, trust, transaction?.Timestamp ?? now));
        return new TransactionProofReport(checks, transaction?.ChaincodeName, transaction?.Writes ?? [], transaction?.ChannelId);
    }

    private static ParsedTransaction? ReadTransaction(TransactionProof proof, List<TransactionProofCheck> checks, DateTimeOffset now)
    {
        try
        {
            var envelope = Protos.Common.Envelope.Parser.ParseFrom(proof.Envelope.Span);
            var payload = Payload.Parser.ParseFrom(envelope.Payload);
            if (payload.Header is null)
            {
                checks.Add(Fail(Envelope, "the envelope's payload has no header"));
                return null;
            }

            var channel = ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
            var signature = SignatureHeader.Parser.ParseFrom(payload.Header.SignatureHeader);
            if (channel.Type != EndorserTransaction)
            {
                checks.Add(Fail(Envelope, $"the envelope is a transaction of type {channel.Type}, not an endorser transaction"));
                return null;
            }

            var computedId = Convert.ToHexStringLower(SHA256.HashData([.. signature.Nonce.Span, .. signature.Creator.Span]));
            if (channel.TxId != proof.TransactionId || computedId != channel.TxId)
            {
                checks.Add(Fail(Envelope, $"the envelope is transaction {channel.TxId} (its nonce and creator give {computedId}), not {proof.TransactionId}"));
                return null;
            }

            var tx = Protos.Peer.Transaction.Parser.ParseFrom(payload.Data);
            if (tx.Actions.Count != 1)
            {
                checks.Add(Fail(Envelope, $"the transaction has {tx.Actions.Count} actions, not one"));
                return null;
            }

            var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(tx.Actions[0].Payload);
            if (actionPayload.Action is null)
            {
                checks.Add(Fail(Envelope, "the transaction's action carries no endorsed response"));
                return null;
            }

            var response = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
            var action = ChaincodeAction.Parser.ParseFrom(response.Extension);
            var input = ChaincodeProposalPayload.Parser.ParseFrom(actionPayload.ChaincodeProposalPayload);
            var invocation = ChaincodeInvocationSpec.Parser.ParseFrom(input.Input);
            var proposalHash = SHA256.HashData([.. payload.Header.ChannelHeader.Span, .. payload.Header.SignatureHeader.Span, .. actionPayload.ChaincodeProposalPayload.Span]);
            var parsed = new ParsedTransaction(
                envelope, channel.ChannelId, channel.Timestamp?.ToDateTimeOffset() ?? now, SerializedIdentity.Parser.ParseFrom(signature.Creator),
                actionPayload.Action, proposalHash.AsSpan().SequenceEqual(response.ProposalHash.Span),
                invocation.ChaincodeSpec?.ChaincodeId?.Name, Writes(action.Results));
            checks.Add(Ok(Envelope, $"endorser transaction {channel.TxId} on channel {channel.ChannelId}, created {parsed.Timestamp:u} by {parsed.Creator.Mspid}, invoking {parsed.ChaincodeName}"));
            return parsed;
        }
        catch (InvalidProtocolBufferException)
        {
            checks.Add(Fail(Envelope, "the envelope is not a well-formed Fabric transaction"));
            return null;
        }
    }

    private static TransactionProofCheck CheckCreator(TransactionProof proof, ParsedTransaction transaction, MspTrust? trust)
    {
        var (certificate, problem) = FabricSigning.Certificate(transaction.Creator);
        using (certificate)
        {
            if (certificate is null)
            {
                return Fail(CreatorSignature, $"the creator is not an X.509 identity: {problem}");
            }

            if (!FabricSigning.VerifySignature(certificate, transaction.Envelope.Payload.Span, transaction.Envelope.Signature.Span))
            {
                return Fail(CreatorSignature, $"the creator's signature ({transaction.Creator.Mspid}, {certificate.Subject}) does not match the envelope's payload");
            }

            if (trust?.Check(certificate, "client", transaction.Timestamp) is { } why && trust.Check(certificate, "admin", transaction.Timestamp) is not null)
            {
                return Fail(CreatorSignature, $"the creator ({transaction.Creator.Mspid}) is not anchored: {why}");
            }

            return Ok(CreatorSignature, $"signed by {transaction.Creator.Mspid} {certificate.Subject}{Anchored(trust)}");
        }
    }

    private static TransactionProofCheck CheckEndorsements(ParsedTransaction transaction, MspTrust? trust)
    {
        var endorsed = transaction.Action;
        if (!transaction.ProposalHashMatches)
        {
            return Fail(Endorsements, "the endorsed response is for another proposal than this transaction's (proposal hash)");
        }

        if (endorsed.Endorsements.Count == 0)
        {
            return Fail(Endorsements, "the transaction carries no endorsement");
        }

        var endorsers = new List<string>();
        for (var i = 0; i < endorsed.Endorsements.Count; i++)
        {
            var endorsement = endorsed.Endorsements[i];
            SerializedIdentity identity;
            try
            {
                identity = SerializedIdentity.Parser.ParseFrom(endorsement.Endorser);
            }
            catch (InvalidProtocolBufferException)
            {
                return Fail(Endorsements, $"endorsement {i + 1}'s endorser is not a serialized identity");
            }

            var (certificate, problem) = FabricSigning.Certificate(identity);
            using (certificate)
            {
                if (certificate is null)
                {
                    return Fail(Endorsements, $"endorsement {i + 1} ({identity.Mspid}) is not by an X.509 identity: {problem}");
                }

                byte[] signed = [.. endorsed.ProposalResponsePayload.Span, .. endorsement.Endorser.Span];
                if (!FabricSigning.VerifySignature(certificate, signed, endorsement.Signature.Span))
                {
                    return Fail(Endorsements, $"endorsement {i + 1}'s signature ({identity.Mspid}, {certificate.Subject}) does not match the endorsed response");
                }

                if (trust?.Check(certificate, "peer", transaction.Timestamp) is { } why)
                {
                    return Fail(Endorsements, $"endorser {i + 1} ({identity.Mspid}) is not anchored: {why}");
                }

                endorsers.Add($"{identity.Mspid} {certificate.Subject}");
            }
        }

        return Ok(Endorsements, $"{endorsers.Count} endorsement(s) of the same response: {string.Join("; ", endorsers)}{Anchored(trust)}");
    }

    private static TransactionProofCheck CheckValidationCode(TransactionProof proof)
    {
        var filter = proof.TransactionsFilter.Span;
        if (proof.TransactionIndex < 0 || proof.TransactionIndex >= filter.Length)
        {
            return Fail(ValidationCode, $"the block's transactions filter has no entry for transaction {proof.TransactionIndex}");
        }

        var code = (TxValidationCode)filter[proof.TransactionIndex];
        return code == TxValidationCode.Valid
            ? Ok(ValidationCode, $"transaction {proof.TransactionIndex} of block {proof.BlockNumber} was committed as VALID (as the peer recorded it; this flag is not covered by the orderer's signature)")
            : Fail(ValidationCode, $"transaction {proof.TransactionIndex} of block {proof.BlockNumber} was committed as {code}, not VALID: its writes did not reach the ledger");
    }

    private static BlockHeader? CheckDataHash(TransactionProof proof, List<TransactionProofCheck> checks)
    {
        BlockHeader header;
        try
        {
            header = BlockHeader.Parser.ParseFrom(proof.BlockHeader.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            checks.Add(Fail(DataHash, "the block header is not a Fabric block header"));
            return null;
        }

        if (header.Number != proof.BlockNumber)
        {
            checks.Add(Fail(DataHash, $"the block header is block {header.Number}, not {proof.BlockNumber}"));
            return header;
        }

        if (proof.TransactionIndex < 0 || proof.TransactionIndex > proof.OtherEnvelopes.Count)
        {
            checks.Add(Fail(DataHash, $"transaction index {proof.TransactionIndex} is outside the block's {proof.OtherEnvelopes.Count + 1} transactions"));
            return header;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i <= proof.OtherEnvelopes.Count; i++)
        {
            hash.AppendData(i == proof.TransactionIndex ? proof.Envelope.Span : proof.OtherEnvelopes[i < proof.TransactionIndex ? i : i - 1].Span);
        }

        checks.Add(hash.GetHashAndReset().AsSpan().SequenceEqual(header.DataHash.Span)
            ? Ok(DataHash, $"the {proof.OtherEnvelopes.Count + 1} envelope(s) of block {header.Number}, this one at index {proof.TransactionIndex}, hash to the header's data hash")
            : Fail(DataHash, $"the block's envelopes with this one at index {proof.TransactionIndex} do not hash to the data hash in block {header.Number}'s header"));
        return header;
    }

    private static TransactionProofCheck CheckOrderer(TransactionProof proof, BlockHeader? header, MspTrust? trust, DateTimeOffset at)
    {
        if (header is null)
        {
            return Fail(OrdererSignature, "no readable block header to check the orderer's signature against");
        }

        Metadata metadata;
        try
        {
            metadata = Metadata.Parser.ParseFrom(proof.BlockSignatures.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            return Fail(OrdererSignature, "the block's signatures metadata is not readable");
        }

        if (metadata.Signatures.Count == 0)
        {
            return Fail(OrdererSignature, "the block carries no orderer signature");
        }

        var headerBytes = FabricSigning.HeaderBytes(header);
        var signers = new List<string>();
        foreach (var signature in metadata.Signatures)
        {
            SerializedIdentity identity;
            try
            {
                identity = SerializedIdentity.Parser.ParseFrom(SignatureHeader.Parser.ParseFrom(signature.SignatureHeader).Creator);
            }
            catch (InvalidProtocolBufferException)
            {
                return Fail(OrdererSignature, "an orderer signature has no readable signature header (BFT identifier headers are not supported)");
            }

            var (certificate, problem) = FabricSigning.Certificate(identity);
            using (certificate)
            {
                if (certificate is null)
                {
                    return Fail(OrdererSignature, $"the orderer ({identity.Mspid}) is not an X.509 identity: {problem}");
                }

                byte[] signed = [.. metadata.Value.Span, .. signature.SignatureHeader.Span, .. headerBytes];
                if (!FabricSigning.VerifySignature(certificate, signed, signature.Signature.Span))
                {
                    return Fail(OrdererSignature, $"the orderer's signature ({identity.Mspid}, {certificate.Subject}) does not match block {header.Number}'s header");
                }

                if (trust?.Check(certificate, "orderer", at) is { } why)
                {
                    return Fail(OrdererSignature, $"the orderer ({identity.Mspid}) is not anchored: {why}");
                }

                signers.Add($"{identity.Mspid} {certificate.Subject}");
            }
        }

        return Ok(OrdererSignature, $"block {header.Number}'s header is signed by {string.Join("; ", signers)}{Anchored(trust)}");
    }

    private static IReadOnlyList<StateWrite> Writes(ByteString results)
    {
        var writes = new List<StateWrite>();
        foreach (var ns in TxReadWriteSet.Parser.ParseFrom(results).NsRwset)
        {
            foreach (var write in KVRWSet.Parser.ParseFrom(ns.Rwset).Writes)
            {
                writes.Add(new StateWrite(ns.Namespace, write.Key, write.IsDelete, write.Value.ToByteArray()));
            }
        }

        return writes;
    }

    private static string Anchored(MspTrust? trust) =>
        trust is null ? " (not anchored: the certificates are the ones in the proof; give the MSPs you trust)" : ", chained to a CA of the MSPs given";

    private static TransactionProofCheck Ok(string part, string message) => new(part, true, message);

    private static TransactionProofCheck Fail(string part, string message) => new(part, false, message);

    private sealed record ParsedTransaction(
        Protos.Common.Envelope Envelope, string ChannelId, DateTimeOffset Timestamp, SerializedIdentity Creator, ChaincodeEndorsedAction Action,
        bool ProposalHashMatches, string? ChaincodeName, IReadOnlyList<StateWrite> Writes);
}

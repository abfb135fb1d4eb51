using System.Text.Json;
using Grpc.Core;
using Provenance.Fabric;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;

namespace Provenance.Ingestion.Tests.Ledger;

public sealed class FabricLedgerEngineTests
{
    [Fact]
    public async Task A_batch_of_seals_arrives_exactly_once_through_endorse_submit_and_commit_status_failures()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 6);
        fixture.Seal("g2", 6, 4);
        await fixture.RegisterOnChainAsync("g1", "g2");
        var engine = fixture.NewEngine(maxRecordsPerTransaction: 4);
        // Endorse fails once; then the orderer accepts and commits the first transaction but Submit answers
        // Unavailable; then the commit-status query for it hangs once (the engine stops waiting and sends the same
        // transaction again, which Fabric answers with the first one's status).
        fixture.Peer.Faults.Fail(GatewayStep.Endorse, StatusCode.Unavailable, "endorser unreachable");
        fixture.Peer.Faults.FailAfter(GatewayStep.Submit, StatusCode.Unavailable, "connection to orderer lost");
        fixture.Peer.Faults.Hang(GatewayStep.CommitStatus);

        var failures = await fixture.DriveAsync(engine);

        Assert.Collection(
            failures,
            f => Assert.IsType<EndorseException>(f),
            f => Assert.IsType<SubmitException>(f));
        for (var i = 0; i < 10; i++)
        {
            var onChain = JsonDocument.Parse(fixture.OnChain(FakeProvenanceChaincode.TagKey("09506000134352", $"SER{i:D5}"))!).RootElement;
            Assert.Equal($"ev-{i:D5}", onChain.GetProperty("eventId").GetString());
            var proof = fixture.State.FindProof($"ev-{i:D5}");
            Assert.NotNull(proof);
            Assert.Equal(onChain.GetProperty("txId").GetString(), proof.TransactionId);
            Assert.NotNull(proof.BlockNumber);
        }

        var first = fixture.State.FindProof("ev-00000")!.TransactionId;
        Assert.Equal(first, ((GatewayException)failures[1]).TransactionId);
        Assert.True(fixture.Peer.Faults.Calls(GatewayStep.CommitStatus) >= 2, "the unresolved transaction's status was asked for");
        Assert.Equal(first, fixture.State.FindProof("ev-00003")!.TransactionId);

        // Three transactions of at most four records: the ambiguous one was resolved by its commit status, not endorsed again.
        Assert.Equal(3, fixture.RecordSealsEndorsed);
        Assert.Equal(10, fixture.State.CountProofs());
        Assert.Empty(fixture.State.ListPending());
        Assert.Empty(fixture.DeadLetters());
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
        var scanned = new SealStore(fixture.Database).FindByTag("09506000134352", "SER00000");
        Assert.Equal(fixture.State.FindProof("ev-00000")!.TransactionId, scanned!.LedgerTransactionId);
        Assert.Equal(fixture.State.FindProof("ev-00000")!.BlockNumber, scanned.LedgerBlockNumber);
    }

    [Fact]
    public async Task Gateways_are_registered_on_chain_before_their_first_seal_and_rotated_keys_before_seals_signed_with_them()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 2);
        fixture.Seal("g2", 2, 2);
        var engine = fixture.NewEngine();

        Assert.Empty(await fixture.DriveAsync(engine));
        fixture.RotateKey("g1");
        fixture.Seal("g1", 4, 2);
        Assert.Empty(await fixture.DriveAsync(engine));

        Assert.Empty(fixture.DeadLetters());
        Assert.Equal(6, fixture.State.CountProofs());
        foreach (var gatewayId in new[] { "g1", "g2" })
        {
            var gateway = JsonDocument.Parse(fixture.OnChain(FakeProvenanceChaincode.GatewayKey(gatewayId))!).RootElement;
            Assert.Equal(fixture.Fingerprint(gatewayId), gateway.GetProperty("keyFingerprint").GetString());
        }

        var functions = fixture.Peer.Endorsements.Select(p => p.Function).ToList();
        Assert.Equal(["RegisterGateway", "RegisterGateway", "RecordSeals", "RotateGatewayKey", "RecordSeals"], functions);
    }

    [Fact]
    public async Task A_record_the_chaincode_rejects_goes_to_the_dead_letter_store_and_the_cursor_still_moves()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 3);
        var engine = fixture.NewEngine();
        // Another node already sealed tag SER00001 on the chain with a different event.
        await fixture.RegisterOnChainAsync("g1");
        var other = $$"""{"messages":["{{fixture.SignedSeal("g1", "ev-other", "SER00001", 1)}}"],"records":[{"eventId":"ev-other","gtin":"09506000134352","serial":"SER00001","gatewayId":"g1","siteId":"s1","message":0}]}""";
        await fixture.Contract.SubmitAsync("RecordSeals", [other]);

        Assert.Empty(await fixture.DriveAsync(engine));

        var letter = Assert.Single(fixture.DeadLetters());
        Assert.Equal(FabricLedgerEngine.RejectedReasonCode, letter.ReasonCode);
        Assert.Equal("ev-00001", letter.EventId);
        Assert.Contains("tag 09506000134352/SER00001 is already sealed by event 'ev-other'", letter.Reason, StringComparison.Ordinal);
        Assert.Null(fixture.State.FindProof("ev-00001"));
        Assert.NotNull(fixture.State.FindProof("ev-00000"));
        Assert.NotNull(fixture.State.FindProof("ev-00002"));
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    [Fact]
    public async Task A_transaction_the_orderer_accepted_and_lost_is_sent_again_until_it_commits_once_without_failing_the_append()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 5);
        await fixture.RegisterOnChainAsync("g1");
        var submitsBefore = fixture.Peer.Faults.Calls(GatewayStep.Submit);
        // The orderer accepts the transaction and crashes before cutting its block; the first copy sent again is refused
        // (the orderer is still down); the next is accepted and lost again; the one after commits. The client's own
        // commit-status deadline is 1 s (the fixture's), so waiting for a commit that will never come fails the append.
        fixture.Peer.Faults.LoseSubmitted(times: 2);
        var engine = fixture.NewEngine(resubmitAfter: TimeSpan.FromMilliseconds(300));

        var drive = fixture.DriveAsync(engine);
        var firstLost = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (fixture.Peer.Faults.Lost == 0)
        {
            Assert.True(DateTime.UtcNow < firstLost, "the transaction was never submitted");
            await Task.Delay(10);
        }

        fixture.Peer.Faults.Fail(GatewayStep.Submit, StatusCode.Unavailable, "orderer unreachable");
        var failures = await drive;

        Assert.Empty(failures);
        Assert.Equal(2, fixture.Peer.Faults.Lost);
        Assert.Equal(4, fixture.Peer.Faults.Calls(GatewayStep.Submit) - submitsBefore);
        AssertTheFiveSealsCommittedInOneTransaction(fixture);
        Assert.Empty(fixture.DeadLetters());
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    [Fact]
    public async Task A_commit_that_is_only_slow_is_sent_again_after_doubling_waits_so_that_few_copies_reach_the_orderer()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 5);
        await fixture.RegisterOnChainAsync("g1");
        var submitsBefore = fixture.Peer.Faults.Calls(GatewayStep.Submit);
        // The transaction commits 1.2 s after it is submitted (a peer catching up); each copy sent before that would be a
        // duplicate in a block. Copies go out after 0.1, 0.3 and 0.7 s (the next would be at 1.5 s, the deadline);
        // with a fixed 0.1-s wait it would be about eleven. Every round stays under the fixture's 1-s client deadline.
        fixture.Peer.Faults.DelaySubmitted(TimeSpan.FromMilliseconds(1200));
        var engine = fixture.NewEngine(resubmitAfter: TimeSpan.FromMilliseconds(100), commitStatusTimeout: TimeSpan.FromMilliseconds(1500));

        var failures = await fixture.DriveAsync(engine);

        Assert.Empty(failures);
        Assert.InRange(fixture.Peer.Faults.Calls(GatewayStep.Submit) - submitsBefore - 1, 1, 3);
        AssertTheFiveSealsCommittedInOneTransaction(fixture);
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    [Fact]
    public async Task A_copy_sent_shortly_before_the_commit_deadline_that_commits_after_it_is_asked_about_once_more_instead_of_failing()
    {
        // The client's own deadline is 5 s here, so the last round (2 s) is the engine's and not cut short by the client.
        await using var fixture = await FabricLedgerFixture.StartAsync(clientCommitStatusTimeout: TimeSpan.FromSeconds(5));
        fixture.Seal("g1", 0, 5);
        await fixture.RegisterOnChainAsync("g1");
        var submitsBefore = fixture.Peer.Faults.Calls(GatewayStep.Submit);
        // The first copy is lost; the one sent again after 1 s commits 3 s later, at 4 s, after the 3-s deadline, and within
        // the 3-s status probe made at the deadline. A loaded machine may fire the 1-s timer up to 2 s late and still pass.
        fixture.Peer.Faults.LoseSubmitted();
        fixture.Peer.Faults.DelaySubmitted(TimeSpan.FromSeconds(3));
        var engine = fixture.NewEngine(resubmitAfter: TimeSpan.FromSeconds(1), commitStatusTimeout: TimeSpan.FromSeconds(3));

        var failures = await fixture.DriveAsync(engine);

        Assert.Empty(failures);
        Assert.Equal(2, fixture.Peer.Faults.Calls(GatewayStep.Submit) - submitsBefore);
        AssertTheFiveSealsCommittedInOneTransaction(fixture);
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    [Fact]
    public async Task A_restart_with_a_pending_transaction_resolves_it_through_commit_status_without_endorsing_again()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 5);
        await fixture.RegisterOnChainAsync("g1");
        fixture.Peer.Faults.FailAfter(GatewayStep.Submit, StatusCode.Unavailable, "connection to orderer lost");
        var batch = fixture.Journal.ReadAfter(0, 500);
        await Assert.ThrowsAsync<SubmitException>(() => fixture.NewEngine().AppendAsync(batch, batch[^1].Position));
        var pending = Assert.Single(fixture.State.ListPending());
        Assert.Equal(0, fixture.Journal.Cursor(FabricLedgerState.CursorName));

        fixture.Reconnect();
        var commitStatusCalls = fixture.Peer.Faults.Calls(GatewayStep.CommitStatus);
        Assert.Empty(await fixture.DriveAsync(fixture.NewEngine()));

        Assert.Equal(1, fixture.RecordSealsEndorsed);
        Assert.True(fixture.Peer.Faults.Calls(GatewayStep.CommitStatus) > commitStatusCalls);
        Assert.Empty(fixture.State.ListPending());
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(pending.TransactionId, fixture.State.FindProof($"ev-{i:D5}")!.TransactionId));
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    [Fact]
    public async Task A_transaction_committed_as_invalid_is_endorsed_again_as_a_new_transaction()
    {
        await using var fixture = await FabricLedgerFixture.StartAsync();
        fixture.Seal("g1", 0, 3);
        var engine = fixture.NewEngine();
        await fixture.RegisterOnChainAsync("g1");
        fixture.Peer.Ledger.ForceNextValidationCode(TxValidationCode.MvccReadConflict);

        var failure = Assert.Single(await fixture.DriveAsync(engine));

        Assert.Equal(TxValidationCode.MvccReadConflict, Assert.IsType<CommitException>(failure).Code);
        Assert.Equal(2, fixture.RecordSealsEndorsed);
        Assert.Equal(3, fixture.State.CountProofs());
        Assert.Equal(fixture.Journal.Head(), fixture.Journal.Cursor(FabricLedgerState.CursorName));
    }

    /// <summary>The five seals of g1 were endorsed once and are proven by one transaction, with nothing left pending.</summary>
    private static void AssertTheFiveSealsCommittedInOneTransaction(FabricLedgerFixture fixture)
    {
        Assert.Equal(1, fixture.RecordSealsEndorsed);
        var txId = fixture.State.FindProof("ev-00000")!.TransactionId;
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(txId, fixture.State.FindProof($"ev-{i:D5}")!.TransactionId));
        Assert.Empty(fixture.State.ListPending());
    }
}

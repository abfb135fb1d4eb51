using System.Security.Cryptography;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>Tampering with a copy of a real ledger (20 entries in blocks of 5) and what <see cref="LedgerVerifier"/> names.</summary>
public sealed class EmbeddedLedgerVerificationTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 20, blockSize: 5);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void An_untouched_ledger_verifies_every_entry_in_every_block()
    {
        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);

        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(20, result.EntriesChecked);
        Assert.Equal(4, result.BlocksChecked);
        Assert.False(result.TrustedRecordedKey);
        Assert.Equal(20, _fixture.Ledger.Count());
    }

    [Fact]
    public void Each_append_is_one_block_whose_entries_run_on_from_the_previous_block()
    {
        var blocks = Enumerable.Range(1, 4).Select(h => _fixture.Ledger.FindBlock(h)!).ToList();

        Assert.Equal([1L, 6, 11, 16], blocks.Select(b => b.Header.FirstIndex));
        Assert.All(blocks, b => Assert.Equal(5, b.Header.EntryCount));
        Assert.Equal(LedgerHashing.Genesis, blocks[0].Header.PreviousHash);
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].HeaderHash, blocks[i].Header.PreviousHash);
        }

        Assert.Null(_fixture.Ledger.FindBlock(5));
    }

    [Fact]
    public void A_modified_record_is_reported_at_its_entry_and_block()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET record_json = replace(record_json, 'SER00007', 'SER99999') WHERE idx = 8");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Index == 8 && p.Block == 2 && p.Kind == "modified");
    }

    [Fact]
    public void A_modified_gateway_message_is_reported_at_the_entries_it_carried()
    {
        var copy = _fixture.Copy();
        var messageId = LedgerFixture.Scalar<long>(copy, "SELECT message_id FROM ledger WHERE idx = 12");
        LedgerFixture.Tamper(copy, "UPDATE messages SET jws = jws || 'x' WHERE id = $m", ("$m", messageId));

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 12 && p.Kind == "modified");
    }

    // The tampering is SQLite SQL (zeroblob, a BLOB cast).
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public void A_damaged_inclusion_path_is_reported_at_its_entry()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET merkle_path = CAST(substr(merkle_path, 1, 33) || zeroblob(length(merkle_path) - 33) AS BLOB) WHERE idx = 13");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("bad_path", 13L, 3L), (problem.Kind, problem.Index!.Value, problem.Block!.Value));
    }

    // Text in a hash column: PostgreSQL's bytea cannot hold it, so the attack cannot happen there.
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public void A_hash_column_edited_to_text_is_reported_not_a_crash()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET entry_hash = 'not a hash' WHERE idx = 3; UPDATE ledger_blocks SET signature = 'forged' WHERE height = 4");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 3 && p.Kind == "modified");
        Assert.Contains(result.Problems, p => p.Block == 4 && p.Kind == "bad_signature");
    }

    [Fact]
    public void A_removed_entry_is_reported_as_missing_in_its_block()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM ledger WHERE idx = 5");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 5 && p.Block == 1 && p.Kind == "missing");
    }

    [Fact]
    public void A_removed_block_in_the_middle_breaks_the_chain_there()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM ledger_blocks WHERE height = 2; DELETE FROM ledger WHERE block_height = 2");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Block == 3 && p.Kind == "missing_block");
        Assert.Contains(result.Problems, p => p.Block == 3 && p.Kind == "chain_broken");
        Assert.Contains(result.Problems, p => p.Index == 6 && p.Kind == "missing");
    }

    [Fact]
    public void Removing_the_last_block_is_caught_by_the_signed_head()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM ledger_blocks WHERE height = 4; DELETE FROM ledger WHERE block_height = 4");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Kind == "truncated" && p.Block == 3);
    }

    [Fact]
    public void An_entry_inserted_outside_every_block_is_reported()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "INSERT INTO ledger SELECT 21, 'forged', record_json, message_id, 4, entry_hash, merkle_path FROM ledger WHERE idx = 20");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 21 && p.Kind == "not_in_block");
    }

    [Fact]
    public void Re_ordered_entries_are_reported()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, """
            UPDATE ledger SET idx = -3 WHERE idx = 3;
            UPDATE ledger SET idx = 3 WHERE idx = 4;
            UPDATE ledger SET idx = 4 WHERE idx = -3;
            """);

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 3 && p.Kind == "modified");
        Assert.Contains(result.Problems, p => p.Index == 4 && p.Kind == "modified");
    }

    [Fact]
    public void A_block_re_signed_with_another_key_is_reported()
    {
        var copy = _fixture.Copy();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = _fixture.Ledger.FindBlock(2)!.Header;
        LedgerFixture.Tamper(copy, "UPDATE ledger_blocks SET signature = $s WHERE height = 2", ("$s", LedgerHashing.Sign(other, header.ToBytes())));

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Block == 2 && p.Index is null && p.Kind == "bad_signature");
    }

    [Fact]
    public void A_ledger_signed_by_another_node_key_fails_against_the_trusted_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = LedgerVerifier.Verify(_fixture.Database, other);

        Assert.Contains(result.Problems, p => p.Kind == "node_key_mismatch");
        Assert.Equal(4, result.Problems.Count(p => p.Kind == "bad_signature"));
    }

    [Fact]
    public void Without_a_trusted_key_verification_says_it_trusted_the_key_recorded_inside()
    {
        var result = LedgerVerifier.Verify(_fixture.Database);

        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.True(result.TrustedRecordedKey);
    }

    [Fact]
    public void One_worker_and_many_workers_find_the_same_problems()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET record_json = record_json || ' ' WHERE idx IN (2, 9, 17)");

        var one = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 1);
        var four = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 4);

        Assert.Equal([2L, 9, 17], one.Problems.Where(p => p.Kind == "modified").Select(p => p.Index!.Value));
        Assert.Equal(one.Problems, four.Problems);
    }

    [Fact]
    public void Appending_the_same_journal_entries_again_adds_nothing()
    {
        var journal = new Journal.JournalStore(_fixture.Database);
        var entries = journal.ReadAfter(0, 1000);

        var appended = _fixture.Ledger.Append(entries, entries[^1].Position);

        Assert.Equal(0, appended);
        Assert.Equal(20, _fixture.Ledger.Count());
        Assert.Null(_fixture.Ledger.FindBlock(5));
        Assert.True(LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey).IsIntact);
    }
}

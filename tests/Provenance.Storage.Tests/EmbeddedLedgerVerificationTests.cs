using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

public sealed class EmbeddedLedgerVerificationTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 20);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void An_untouched_ledger_verifies_every_entry()
    {
        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);

        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(20, result.EntriesChecked);
        Assert.Equal(20, _fixture.Ledger.Count());
    }

    [Fact]
    public void A_modified_record_is_reported_at_its_entry()
    {
        var copy = _fixture.Copy();
        Execute(copy, "UPDATE ledger SET record_json = replace(record_json, 'SER00007', 'SER99999') WHERE idx = 8");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Index == 8 && p.Kind == "modified");
    }

    [Fact]
    public void A_removed_entry_is_reported_where_the_chain_breaks()
    {
        var copy = _fixture.Copy();
        Execute(copy, "DELETE FROM ledger WHERE idx = 5");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Index == 5 && p.Kind == "missing");
        Assert.Contains(result.Problems, p => p.Index == 6 && p.Kind == "chain_broken");
    }

    [Fact]
    public void Removing_the_last_entries_is_caught_by_the_signed_head()
    {
        var copy = _fixture.Copy();
        Execute(copy, "DELETE FROM ledger WHERE idx > 18");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Kind == "truncated");
    }

    [Fact]
    public void Re_ordered_entries_are_reported()
    {
        var copy = _fixture.Copy();
        // Swap entries 3 and 4 wholesale (content and links), keeping indexes in sequence.
        Execute(copy, """
            UPDATE ledger SET idx = -3 WHERE idx = 3;
            UPDATE ledger SET idx = 3 WHERE idx = 4;
            UPDATE ledger SET idx = 4 WHERE idx = -3;
            """);

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Index is 3 or 4 && p.Kind is "chain_broken" or "modified");
    }

    [Fact]
    public void An_entry_re_signed_with_another_key_is_reported()
    {
        var copy = _fixture.Copy();
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        byte[] hash;
        using (var c = copy.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT entry_hash FROM ledger WHERE idx = 2";
            hash = (byte[])cmd.ExecuteScalar()!;
        }

        var forged = other.SignHash(hash, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using (var c = copy.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "UPDATE ledger SET signature = $s WHERE idx = 2";
            cmd.Parameters.AddWithValue("$s", forged);
            cmd.ExecuteNonQuery();
        }

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey);

        Assert.Contains(result.Problems, p => p.Index == 2 && p.Kind == "bad_signature");
    }

    [Fact]
    public void Appending_the_same_journal_entries_again_adds_nothing()
    {
        var journal = new Journal.JournalStore(_fixture.Database);
        var entries = journal.ReadAfter(0, 1000);

        var appended = _fixture.Ledger.Append(entries, entries[^1].Position);

        Assert.Equal(0, appended);
        Assert.Equal(20, _fixture.Ledger.Count());
        Assert.True(LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey).IsIntact);
    }

    private static void Execute(ProvenanceDatabase db, string sql)
    {
        using var c = db.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        Assert.True(cmd.ExecuteNonQuery() > 0);
    }
}

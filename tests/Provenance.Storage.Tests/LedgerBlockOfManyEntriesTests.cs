using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>
/// A block's entries are written several per statement on PostgreSQL (one by one on SQLite): a block of more entries than one statement carries keeps every
/// entry at its index, in its block, and verifies.
/// </summary>
public sealed class LedgerBlockOfManyEntriesTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 150, blockSize: 150);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_block_of_150_entries_verifies_with_each_entry_at_its_index()
    {
        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);

        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal((150L, 1L), (result.EntriesChecked, result.BlocksChecked));
        Assert.Equal(150, _fixture.Ledger.FindBlock(1)!.Header.EntryCount);
        Assert.All(Enumerable.Range(0, 150), i =>
        {
            var entry = _fixture.Ledger.FindByEvent($"ev-{i:D5}")!;
            Assert.Equal((i + 1L, 1L), (entry.Index, entry.BlockHeight));
            Assert.Contains($"SER{i:D5}", entry.RecordJson, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_second_block_of_many_entries_runs_on_from_the_first()
    {
        new Provenance.Storage.Ingestion.IngestionWriter(_fixture.Database).Commit([.. Enumerable.Range(150, 100).Select(i => _fixture.SealUnit(i))]);

        _fixture.AppendJournal(blockSize: 100);

        var result = LedgerVerifier.Verify(_fixture.Database, _fixture.NodeKey);
        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(250, result.EntriesChecked);
        var second = _fixture.Ledger.FindBlock(2)!;
        Assert.Equal((151L, 100), (second.Header.FirstIndex, second.Header.EntryCount));
        Assert.Equal((250L, 2L), (_fixture.Ledger.FindByEvent("ev-00249")!.Index, _fixture.Ledger.FindByEvent("ev-00249")!.BlockHeight));
    }
}

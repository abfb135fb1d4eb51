using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>
/// Tampering deep inside a ledger of 5,000 entries in blocks of 500, checked by several workers at once: the report
/// still names the entry that was touched, and with two touched entries the first one comes first.
/// </summary>
public sealed class LedgerVerificationAtScaleTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 5_000, blockSize: 500);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_record_changed_in_the_middle_of_a_block_is_reported_at_its_entry()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET record_json = replace(record_json, 'SER02736', 'SER99999') WHERE idx = 2737");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 4);

        Assert.Equal(5_000, result.EntriesChecked);
        Assert.Equal(10, result.BlocksChecked);
        Assert.Equal((2737L, 6L), (result.Problems[0].Index!.Value, result.Problems[0].Block!.Value));
        Assert.Contains(result.Problems, p => p.Index == 2737 && p.Kind == "modified");
        Assert.All(result.Problems, p => Assert.Equal(2737L, p.Index));
    }

    [Fact]
    public void Of_two_changed_entries_in_different_blocks_the_earlier_is_reported_first()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "UPDATE ledger SET record_json = record_json || ' ' WHERE idx IN (4321, 1234)");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 4);

        Assert.Equal([1234L, 4321], result.Problems.Where(p => p.Kind == "modified").Select(p => p.Index!.Value));
        Assert.Equal(1234L, result.Problems[0].Index);
        Assert.Equal(result.Problems, LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 1).Problems);
    }

    // The tampering is SQLite SQL (zeroblob).
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public void A_deleted_entry_and_a_forged_block_signature_are_reported_where_they_are()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, "DELETE FROM ledger WHERE idx = 3333");
        LedgerFixture.Tamper(copy, "UPDATE ledger_blocks SET signature = zeroblob(64) WHERE height = 9");

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 4);

        Assert.Contains(result.Problems, p => p.Index == 3333 && p.Block == 7 && p.Kind == "missing");
        Assert.Contains(result.Problems, p => p.Index is null && p.Block == 9 && p.Kind == "bad_signature");
        Assert.Equal(3333L, result.Problems.First(p => p.Index is not null).Index);
    }

    [Fact]
    public void Entries_swapped_inside_a_block_are_reported_at_both_places()
    {
        var copy = _fixture.Copy();
        LedgerFixture.Tamper(copy, """
            UPDATE ledger SET idx = -1 WHERE idx = 1801;
            UPDATE ledger SET idx = 1801 WHERE idx = 1802;
            UPDATE ledger SET idx = 1802 WHERE idx = -1;
            """);

        var result = LedgerVerifier.Verify(copy, _fixture.NodeKey, workers: 4);

        Assert.Equal([1801L, 1802], result.Problems.Where(p => p.Kind == "modified").Select(p => p.Index!.Value));
        Assert.Equal(1801L, result.Problems[0].Index);
    }
}

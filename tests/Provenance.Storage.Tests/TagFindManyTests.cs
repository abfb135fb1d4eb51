using Provenance.Core.Registry;

namespace Provenance.Storage.Tests;

/// <summary>
/// Ingestion looks up a message's tags with <see cref="TagStore.FindMany"/>, many keys per statement: it answers each
/// issued (GTIN, serial) pair with its own tag and nothing for a pair never issued, even when both halves of that pair
/// were issued in other pairs.
/// </summary>
public sealed class TagFindManyTests : IDisposable
{
    private const string Wine = "09506000134352";
    private const string Spirit = "06901234567892";
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-tags-many-").FullName;
    private readonly ProvenanceDatabase _db;
    private readonly TagStore _tags;

    public TagFindManyTests()
    {
        _db = TestStorage.Open(_dir);
        _tags = new TagStore(_db);
        var registry = new RegistryStore(_db);
        registry.AddProduct(new Product(Wine, "Wine", "Cellar"));
        registry.AddProduct(new Product(Spirit, "Spirit", "Distillery"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void More_tags_than_one_statement_carries_are_each_found_and_pairs_never_issued_are_not()
    {
        var wineBatch = Issue(Wine, "L1", Enumerable.Range(0, 100).Select(i => $"W{i:D3}"));
        var spiritBatch = Issue(Spirit, null, Enumerable.Range(0, 50).Select(i => $"X{i:D3}"));
        var asked = Enumerable.Range(0, 80).Select(i => (Wine, $"W{i:D3}")).Concat(Enumerable.Range(0, 40).Select(i => (Spirit, $"X{i:D3}"))).ToList();
        // Each half of these was issued, in a pair not asked for: (Wine, W090) and (Spirit, X045) must not be answered.
        var neverIssued = new[] { (Spirit, "W090"), (Wine, "X045"), (Wine, "W999"), ("00000000000000", "W002") };
        var keys = asked.Concat(neverIssued).Concat(asked.Take(3)).Reverse().ToList();

        var found = _tags.FindMany(keys);

        Assert.Equal(asked.Order(), found.Keys.Order());
        Assert.All(found, pair => Assert.Equal(pair.Key, (pair.Value.Gtin, pair.Value.Serial)));
        Assert.Equal(new IssuedTag(Wine, "W042", "L1", wineBatch, "issued", "Wine", "Cellar"), found[(Wine, "W042")]);
        Assert.Equal(new IssuedTag(Spirit, "X039", null, spiritBatch, "issued", "Spirit", "Distillery"), found[(Spirit, "X039")]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(65)]
    public void Any_number_of_keys_finds_exactly_the_issued_ones(int count)
    {
        Issue(Wine, "L1", Enumerable.Range(0, count).Select(i => $"W{i:D3}"));
        var keys = Enumerable.Range(0, count).Select(i => (Wine, i % 2 == 0 ? $"W{i:D3}" : $"M{i:D3}")).ToList();

        var found = _tags.FindMany(keys);

        Assert.Equal(keys.Where(k => k.Item2.StartsWith('W')).Order(), found.Keys.Order());
    }

    [Fact]
    public void No_keys_find_nothing() => Assert.Empty(_tags.FindMany([]));

    private long Issue(string gtin, string? lot, IEnumerable<string> serials)
    {
        var list = serials.ToList();
        var batch = _tags.CreateBatch(gtin, lot, list.Count);
        Assert.True(_tags.AddTags(batch, gtin, lot, list));
        return batch;
    }
}

namespace Provenance.Storage.Tests;

/// <summary>
/// <see cref="TagStore.FindMany"/>'s statement reaches each key's tag by a primary-key search, never by walking the
/// tags (which grow with every bottle issued). SQLite's own plan is the evidence.
/// </summary>
// SQLite's query plans.
[Trait("Storage", TestStorage.SqliteOnly)]
public sealed class TagFindManyQueryPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-tags-plan-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void The_lookup_of_many_tags_searches_the_primary_key(int count)
    {
        using var c = ProvenanceDatabase.Open(_dir).Connect();
        using var cmd = TagStore.FindManyCommand(c, [.. Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? "09506000134352" : "06901234567892", $"S{i}"))]);
        cmd.CommandText = "EXPLAIN QUERY PLAN " + cmd.CommandText;
        using var r = cmd.ExecuteReader();
        var plan = new List<string>();
        while (r.Read())
        {
            plan.Add(r.GetString(3));
        }

        var tags = plan.Where(line => line.Contains(" t ", StringComparison.Ordinal) || line.EndsWith(" t", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tags);
        Assert.All(tags, line => Assert.Contains("SEARCH t USING PRIMARY KEY (gtin=? AND serial=?)", line, StringComparison.Ordinal));
    }
}

using Provenance.Storage.Internal;

namespace Provenance.Storage.Tests;

/// <summary>
/// A scan's one statement, and the tag-events lookup refill checks and NFC taps use, reach their rows by index
/// searches on the bottle (or its lot): no part of them walks all events of a GTIN, which grow with every bottle opened
/// or voided. SQLite's own plan is the evidence.
/// </summary>
// SQLite's query plans: the statement was split for SQLite's planner.
[Trait("Storage", TestStorage.SqliteOnly)]
public sealed class BottleFactsQueryPlanTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 1);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void The_scan_statement_searches_tag_events_by_serial_and_by_lot_never_by_gtin_alone()
    {
        var plan = Plan(BottleFactsStore.Query, ("$g", "09506000134352"), ("$s", "S1"), ("$n", 200L));

        AssertIndexedEventSearches(plan);
    }

    [Fact]
    public void The_tag_events_lookup_searches_by_serial_and_by_lot_never_by_gtin_alone()
    {
        var sql = "SELECT kind, MIN(at) FROM (" + TagEventStore.CoveringEvents("$l") + ") GROUP BY kind, serial IS NULL";

        AssertIndexedEventSearches(Plan(sql, ("$g", "09506000134352"), ("$s", "S1"), ("$l", "L1")));
    }

    private static void AssertIndexedEventSearches(IReadOnlyList<string> plan)
    {
        var events = plan.Where(line => line.Contains("tag_events", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, events.Count);
        Assert.Contains(events, line => line.Contains("(gtin=? AND serial=?)", StringComparison.Ordinal));
        Assert.Contains(events, line => line.Contains("(gtin=? AND lot=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(events, line => line.Contains("SCAN", StringComparison.Ordinal) || line.Contains("(gtin=?)", StringComparison.Ordinal));
    }

    private List<string> Plan(string sql, params (string Name, object Value)[] parameters)
    {
        using var c = _fixture.Database.Connect();
        using var cmd = c.Command("EXPLAIN QUERY PLAN " + sql);
        foreach (var (name, value) in parameters)
        {
            cmd.With(name, value);
        }

        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read())
        {
            lines.Add(r.GetString(3));
        }

        return lines;
    }
}

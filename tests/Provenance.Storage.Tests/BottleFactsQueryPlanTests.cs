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
    private const int StmtStatusReprepare = 5; // SQLITE_STMTSTATUS_REPREPARE

    private readonly LedgerFixture _fixture = new(seals: 1);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void The_scan_statement_searches_tag_events_by_serial_and_by_lot_never_by_gtin_alone()
    {
        var plan = Plan(BottleFactsStore.SqliteQuery(BottleFactsStore.DefaultHistoryLimit), ("$g", "09506000134352"), ("$s", "S1"));

        AssertIndexedEventSearches(plan);
    }

    [Fact]
    public void The_tag_events_lookup_searches_by_serial_and_by_lot_never_by_gtin_alone()
    {
        var sql = "SELECT kind, MIN(at) FROM (" + TagEventStore.CoveringEvents("$l") + ") GROUP BY kind, serial IS NULL";

        AssertIndexedEventSearches(Plan(sql, ("$g", "09506000134352"), ("$s", "S1"), ("$l", "L1")));
    }

    [Fact]
    public void The_scan_statement_is_compiled_once_not_again_for_every_bottle()
    {
        using var c = (Microsoft.Data.Sqlite.SqliteConnection)_fixture.Database.Connect();
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, BottleFactsStore.SqliteQuery(BottleFactsStore.DefaultHistoryLimit), out var statement));
        using (statement)
        {
            foreach (var serial in new[] { "S1", "S2", "S3" })
            {
                // Every parameter the statement has is bound, as a scan binds them.
                for (var i = 1; i <= SQLitePCL.raw.sqlite3_bind_parameter_count(statement); i++)
                {
                    _ = SQLitePCL.raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string() switch
                    {
                        "@g" => SQLitePCL.raw.sqlite3_bind_text(statement, i, "09506000134352"),
                        "@s" => SQLitePCL.raw.sqlite3_bind_text(statement, i, serial),
                        _ => SQLitePCL.raw.sqlite3_bind_int(statement, i, BottleFactsStore.DefaultHistoryLimit),
                    };
                }

                while (SQLitePCL.raw.sqlite3_step(statement) == SQLitePCL.raw.SQLITE_ROW)
                {
                }

                SQLitePCL.raw.sqlite3_reset(statement);
            }

            // A bound LIMIT in a subquery made SQLite compile the statement again on every execution.
            Assert.Equal(0, SQLitePCL.raw.sqlite3_stmt_status(statement, StmtStatusReprepare, 0));
        }
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

using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Provenance.Bench.Harness;

/// <summary>
/// <c>provenance ledger verify</c> (the CLI process, every core) on a data directory, each run paired with a raw read of
/// what it must read: every ledger row in order, every block, and each gateway message the entries reference (format
/// 2); every row with its stored JWS in format 1 (an older build).
/// </summary>
public static class LedgerVerifyRuns
{
    /// <summary>Raw read then verify, <paramref name="repeats"/> times; entries/s on both sides.</summary>
    public static async Task<(List<double> Raw, List<double> Verify, long Entries, int WorstExit)> RunAsync(string dataDirectory, int repeats, string label, CancellationToken cancellationToken)
    {
        var dbPath = Path.Combine(dataDirectory, "provenance.db");
        var raw = new List<double>();
        var verify = new List<double>();
        long entries = 0;
        var worstExit = 0;
        for (var r = 0; r < repeats; r++)
        {
            var read = RawRead(dbPath);
            var run = await ProcessRunner.RunAsync(RepoPaths.Provenance, ["ledger", "verify", "--data", dataDirectory], cancellationToken: cancellationToken);
            entries = read.Rows;
            worstExit = Math.Max(worstExit, run.ExitCode);
            raw.Add(read.PerSecond);
            verify.Add(entries / run.Elapsed.TotalSeconds);
            Log.Info($"{label}: ledger verify exit {run.ExitCode}: {run.StandardOutput.Trim()} ({run.Elapsed.TotalSeconds:N2} s incl. process start; raw read {read.PerSecond:N0}/s)");
        }

        return (raw, verify, entries, worstExit);
    }

    private static (long Rows, double PerSecond) RawRead(string dbPath)
    {
        var clock = Stopwatch.StartNew();
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        c.Open();
        using var probe = c.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_blocks'";
        var blocks = Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        long n = 0;
        foreach (var sql in blocks
            ? new[] { "SELECT idx, event_id, record_json, message_id, block_height, entry_hash, merkle_path FROM ledger ORDER BY idx", "SELECT * FROM ledger_blocks ORDER BY height", "SELECT id, jws FROM messages WHERE id IN (SELECT DISTINCT message_id FROM ledger)" }
            : ["SELECT idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature, appended_at FROM ledger ORDER BY idx"])
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var rows = 0L;
            while (r.Read())
            {
                for (var i = 0; i < r.FieldCount; i++)
                {
                    _ = r.GetValue(i);
                }

                rows++;
            }

            n = n == 0 ? rows : n;
        }

        return (n, n / Math.Max(clock.Elapsed.TotalSeconds, 1e-6));
    }
}

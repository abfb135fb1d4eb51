using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Provenance.Bench.Harness;
using Provenance.Storage;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Bench.Suites;

/// <summary>
/// Embedded ledger appends (<see cref="EmbeddedLedger.Append"/>: dedupe, message lookup, hash chaining, node signature,
/// signed head, cursor) against raw SQLite inserts of rows of the same size, in the same batch size (the ledger sink's
/// 500), both in WAL with synchronous=FULL. Then <c>provenance ledger verify</c> (the CLI process) on a ledger sealed for
/// real through <c>serve</c> and the simulator, against a raw read of what it must read (<see cref="LedgerVerifyRuns"/>).
/// </summary>
public sealed class LedgerSuite : IBenchSuite
{
    private const int BatchSize = 500;
    private const int EventsPerMessage = 50;

    public string Name => "ledger";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var entries = settings.Quick ? 5_000 : 20_000;
        var baseline = new List<double>();
        var ours = new List<double>();
        for (var r = 0; r < settings.Repeats; r++)
        {
            using var temp = new TempDirectory("bench-ledger-");
            var db = ProvenanceDatabase.Open(temp.Combine("data"));
            var jws = new string('J', 8_000);
            var journal = SeedMessages(db, entries, jws);
            using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var ledger = new EmbeddedLedger(db, nodeKey);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < journal.Count; i += BatchSize)
            {
                var batch = journal.Skip(i).Take(BatchSize).ToList();
                ledger.Append(batch, batch[^1].Position);
            }

            ours.Add(entries / clock.Elapsed.TotalSeconds);
            baseline.Add(RawInserts(ProvenanceDatabase.Open(temp.Combine("raw")), journal, jws));
            Log.Info($"ledger run {r + 1}: raw inserts {baseline[^1]:N0}/s, appends {ours[^1]:N0}/s");
            SqliteConnection.ClearAllPools();
        }

        return
        [
            ResultRow.Paired("embedded ledger", "appends/s", baseline, ours, 0.7, string.Empty,
                $"{entries:N0} entries in batches of {BatchSize}, record ≈ 600 B, 8 kB message per {EventsPerMessage} entries; baseline rows shaped as the ledger stores them; WAL + synchronous=FULL; median of {settings.Repeats}"),
            await VerifyAsync(settings, cancellationToken),
        ];
    }

    /// <summary>Seals codes through <c>serve</c> and the simulator, stops it once the ledger sink has caught up, then pairs raw reads with <c>ledger verify</c> runs.</summary>
    private static async Task<ResultRow> VerifyAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var codes = settings.Quick ? 10_000 : 50_000;
        using var temp = new TempDirectory("bench-ledger-verify-");
        var cli = new ProvenanceCli(temp.Combine("data"));
        await cli.AddSiteAndProductAsync();
        var gateway = await cli.AddGatewayAsync("gw-ledger");
        var urls = await cli.IssueUrlsAsync(codes);
        var dbPath = Path.Combine(cli.DataDirectory, ProvenanceDatabase.FileName);
        await using (var serve = await ServeProcess.StartAsync(cli.DataDirectory))
        {
            var sealedRun = await new SimulatorFleet("127.0.0.1", serve.MqttPort, [gateway], urls, BatchSize).RunAsync(TimeSpan.FromMinutes(5), TimeSpan.Zero, cancellationToken);
            await WaitForLedgerAsync(dbPath, sealedRun.EventsAcked, cancellationToken);
        }

        var (raw, verify, rows, worstExit) = await LedgerVerifyRuns.RunAsync(cli.DataDirectory, settings.Repeats, "ledger", cancellationToken);
        return ResultRow.Paired("embedded ledger", "`ledger verify` entries/s (CLI)", raw, verify, 0.5, string.Empty,
            $"{rows:N0} entries sealed through serve and the simulator (batch {BatchSize}); worst exit {worstExit}; ours incl. process start; baseline = SELECT of the same rows; median of {settings.Repeats}");
    }

    /// <summary>The ledger sink appends after ingestion acknowledges; a head written mid-verify would read as a break, so serve stops only once every acknowledged seal is in the ledger.</summary>
    private static async Task WaitForLedgerAsync(string dbPath, long sealedCount, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using (var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False"))
            {
                c.Open();
                using var count = c.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM ledger";
                var inLedger = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                if (inLedger >= sealedCount)
                {
                    return;
                }

                if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"the ledger holds {inLedger:N0} of {sealedCount:N0} acknowledged seals after 2 min");
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static List<JournalEntry> SeedMessages(ProvenanceDatabase db, int entries, string jws)
    {
        var journal = new List<JournalEntry>(entries);
        var record = "{\"eventId\":\"EVENT\",\"gtin\":\"09506000134352\",\"serial\":\"7KQ2M9XW4RTA0000\"," + new string('r', 480) + "}";
        using var c = (SqliteConnection)db.Connect();
        using var tx = c.BeginTransaction();
        using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO messages (topic, gateway_id, jws, received_at) VALUES ('prov/v1/plant-1/gw-1/seal', 'gw-1', $j, '2026-11-23T10:00:00Z') RETURNING id";
        insert.Parameters.AddWithValue("$j", jws);
        long messageId = 0;
        for (var i = 0; i < entries; i++)
        {
            if (i % EventsPerMessage == 0)
            {
                messageId = (long)insert.ExecuteScalar()!;
            }

            var id = $"evt-{i:D10}";
            journal.Add(new JournalEntry(i + 1, JournalEntry.SealKind, id, record.Replace("EVENT", id, StringComparison.Ordinal), messageId, DateTimeOffset.UtcNow));
        }

        tx.Commit();
        return journal;
    }

    /// <summary>
    /// Raw inserts of rows shaped as the ledger being measured stores them: format 2 (this tree) keeps per entry the
    /// record, a message id, a 32-byte leaf hash and a Merkle path (≈ 9 steps of 33 bytes at 500 per block) plus one
    /// block row per batch; format 1 (an older build under compare.sh) kept the message JWS and three hashes per entry.
    /// </summary>
    private static double RawInserts(ProvenanceDatabase db, List<JournalEntry> journal, string jws)
    {
        bool blocks;
        using (var c = (SqliteConnection)db.Connect())
        {
            using var probe = c.CreateCommand();
            probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_blocks'";
            blocks = Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
            using var create = c.CreateCommand();
            create.CommandText = blocks
                ? "CREATE TABLE raw_ledger (idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, record_json TEXT NOT NULL, message_id INTEGER NOT NULL, block_height INTEGER NOT NULL, entry_hash BLOB NOT NULL, merkle_path BLOB NOT NULL); CREATE TABLE raw_blocks (height INTEGER PRIMARY KEY, header BLOB NOT NULL, signature BLOB NOT NULL)"
                : "CREATE TABLE raw_ledger (idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, record_json TEXT NOT NULL, message_jws TEXT NOT NULL, prev_hash BLOB NOT NULL, entry_hash BLOB NOT NULL, signature BLOB NOT NULL, appended_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = RandomNumberGenerator.GetBytes(64);
        var path = RandomNumberGenerator.GetBytes(9 * 33);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < journal.Count; i += BatchSize)
        {
            using var c = (SqliteConnection)db.Connect();
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            var pi = insert.Parameters.Add("$i", SqliteType.Integer);
            var pe = insert.Parameters.Add("$e", SqliteType.Text);
            var pr = insert.Parameters.Add("$r", SqliteType.Text);
            insert.Parameters.AddWithValue("$h", hash);
            if (blocks)
            {
                insert.CommandText = "INSERT INTO raw_ledger (idx, event_id, record_json, message_id, block_height, entry_hash, merkle_path) VALUES ($i, $e, $r, $m, $b, $h, $p)";
                insert.Parameters.AddWithValue("$m", 1 + (i / EventsPerMessage));
                insert.Parameters.AddWithValue("$b", 1 + (i / BatchSize));
                insert.Parameters.AddWithValue("$p", path);
                using var block = c.CreateCommand();
                block.Transaction = tx;
                block.CommandText = "INSERT INTO raw_blocks (height, header, signature) VALUES ($b, $x, $s)";
                block.Parameters.AddWithValue("$b", 1 + (i / BatchSize));
                block.Parameters.AddWithValue("$x", RandomNumberGenerator.GetBytes(111));
                block.Parameters.AddWithValue("$s", signature);
                block.ExecuteNonQuery();
            }
            else
            {
                insert.CommandText = "INSERT INTO raw_ledger (idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature, appended_at) VALUES ($i, $e, $r, $j, $h, $h, $s, $at)";
                insert.Parameters.AddWithValue("$j", jws);
                insert.Parameters.AddWithValue("$s", signature);
                insert.Parameters.AddWithValue("$at", "2026-11-23T10:00:00.0000000Z");
            }

            foreach (var entry in journal.Skip(i).Take(BatchSize))
            {
                pi.Value = entry.Position;
                pe.Value = entry.EventId;
                pr.Value = entry.Body;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        return journal.Count / clock.Elapsed.TotalSeconds;
    }
}

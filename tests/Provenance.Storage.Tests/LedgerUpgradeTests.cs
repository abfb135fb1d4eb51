using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>
/// A data directory of ledger format 1 (one signature per entry, the JWS in each entry) is re-checked with the node's
/// key and re-blocked; a format-1 history that does not verify is refused. The format-1 rows are written here by hand
/// from the old definition.
/// </summary>
// Ledger format 1 only ever existed in SQLite files.
[Trait("Storage", TestStorage.SqliteOnly)]
public sealed class LedgerUpgradeTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 12, blockSize: 12);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_format_1_ledger_is_re_checked_and_re_blocked_keeping_its_indexes()
    {
        var db = FormatOneCopy(tamper: null);
        var ledger = new EmbeddedLedger(db, _fixture.NodeKey);

        ledger.UpgradeLegacyEntries();

        var result = LedgerVerifier.Verify(db, _fixture.NodeKey);
        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(12, result.EntriesChecked);
        Assert.Equal(7, ledger.FindByEvent("ev-00006")!.Index);
        Assert.Equal(0L, LedgerFixture.Scalar<long>(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_v1'"));
        Assert.Contains("12 entries re-checked", LedgerFixture.Scalar<string>(db, "SELECT value FROM ledger_meta WHERE key = 'upgraded_from_format_1'"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_1_ledger_that_does_not_verify_is_refused_naming_the_entry_and_left_in_place()
    {
        var db = FormatOneCopy(tamper: "UPDATE ledger_v1 SET record_json = record_json || ' ' WHERE idx = 5");
        var ledger = new EmbeddedLedger(db, _fixture.NodeKey);

        var error = Assert.Throws<InvalidOperationException>(ledger.UpgradeLegacyEntries);

        Assert.Contains("entry 5", error.Message, StringComparison.Ordinal);
        Assert.Equal(12L, LedgerFixture.Scalar<long>(db, "SELECT COUNT(*) FROM ledger_v1"));
        Assert.Contains(LedgerVerifier.Verify(db, _fixture.NodeKey).Problems, p => p.Kind == "not_upgraded");
    }

    /// <summary>A copy whose ledger is replaced by format-1 rows of the same entries, as a node of the previous release left it.</summary>
    private ProvenanceDatabase FormatOneCopy(string? tamper)
    {
        var db = _fixture.Copy();
        var rows = new List<(long Index, string EventId, string Record, string Jws)>();
        using (var c = db.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT l.idx, l.event_id, l.record_json, m.jws FROM ledger l JOIN messages m ON m.id = l.message_id ORDER BY l.idx";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            }
        }

        var sql = new StringBuilder("DELETE FROM ledger; DELETE FROM ledger_blocks; CREATE TABLE ledger_v1 (idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, record_json TEXT NOT NULL, message_jws TEXT NOT NULL, prev_hash BLOB NOT NULL, entry_hash BLOB NOT NULL, signature BLOB NOT NULL, appended_at TEXT NOT NULL);");
        var parameters = new List<(string, object)>();
        var previous = new byte[32];
        foreach (var (index, eventId, record, jws) in rows)
        {
            var hash = FormatOneEntryHash(index, previous, record, jws);
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO ledger_v1 VALUES ({index}, $e{index}, $r{index}, $j{index}, $p{index}, $h{index}, $s{index}, '2026-11-23T10:00:00Z');");
            parameters.AddRange([($"$e{index}", eventId), ($"$r{index}", record), ($"$j{index}", jws), ($"$p{index}", previous), ($"$h{index}", hash),
                ($"$s{index}", _fixture.NodeKey.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))]);
            previous = hash;
        }

        var head = new byte[40];
        BinaryPrimitives.WriteInt64BigEndian(head, rows[^1].Index);
        previous.CopyTo(head, 8);
        var headValue = $"{rows[^1].Index}:{Convert.ToHexStringLower(previous)}:{Convert.ToBase64String(_fixture.NodeKey.SignHash(SHA256.HashData(head), DSASignatureFormat.IeeeP1363FixedFieldConcatenation))}";
        sql.Append("UPDATE ledger_meta SET value = $head WHERE key = 'head';");
        parameters.Add(("$head", headValue));
        LedgerFixture.Tamper(db, sql.ToString(), [.. parameters]);
        if (tamper is not null)
        {
            LedgerFixture.Tamper(db, tamper);
        }

        return db;
    }

    private static byte[] FormatOneEntryHash(long index, byte[] previous, string record, string jws)
    {
        var buffer = new byte[20 + 8 + 32 + 32 + 32];
        "provenance-ledger-v1"u8.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(20), index);
        previous.CopyTo(buffer, 28);
        SHA256.HashData(Encoding.UTF8.GetBytes(record), buffer.AsSpan(60));
        SHA256.HashData(Encoding.ASCII.GetBytes(jws), buffer.AsSpan(92));
        return SHA256.HashData(buffer);
    }
}

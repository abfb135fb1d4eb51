using System.Data.Common;
using Provenance.Storage.Ingestion;

namespace Provenance.Storage.Internal;

/// <summary>
/// What the database already holds for one commit's seals and fixes, read with a few many-row lookups under the write
/// lock before the commit writes anything, and kept current as the commit accepts seals and fixes. Each seal's
/// duplicate and conflict checks (its event id, its tag, its NFC chip) are then answered from memory: the same answers
/// a per-seal query inside the transaction gave, without a round trip per seal. Not thread-safe: one per commit.
/// </summary>
internal sealed class SealIndex
{
    private readonly Dictionary<string, byte[]> _hashByEvent = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Gtin, string Serial), string> _eventByTag = [];
    private readonly Dictionary<string, string> _tagByChip = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fixes = new(StringComparer.Ordinal);

    public static SealIndex Load(DbConnection c, DbTransaction tx, IReadOnlyList<IngestionUnit> units)
    {
        var index = new SealIndex();
        var seals = units.SelectMany(u => u.Seals).ToList();
        ReadChunked(c, tx, seals.Select(s => (object)s.EventId).Distinct().ToList(),
            (cmd, chunk) => $"SELECT event_id, content_hash FROM seals WHERE event_id IN ({ManyRows.InList(cmd, "e", chunk)})",
            r => index._hashByEvent[r.GetString(0)] = (byte[])r.GetValue(1));
        // IN (VALUES …), not an OR per key: both engines answer it from the (gtin, serial) index, and SQLite takes
        // several times as long over the OR form (see TagStore.FindManyCommand).
        ReadChunked(c, tx, seals.Select(s => (s.Gtin, s.Serial)).Distinct().Select(k => new object?[] { k.Gtin, k.Serial }).ToList(),
            (cmd, chunk) => $"SELECT gtin, serial, event_id FROM seals WHERE (gtin, serial) IN (VALUES {ManyRows.RowList(cmd, "t", chunk)})",
            r => index._eventByTag[(r.GetString(0), r.GetString(1))] = r.GetString(2));
        ReadChunked(c, tx, seals.Where(s => s.NfcUid is not null).Select(s => (object)s.NfcUid!).Distinct().ToList(),
            (cmd, chunk) => $"SELECT nfc_uid, event_id, gtin, serial FROM seals WHERE nfc_uid IN ({ManyRows.InList(cmd, "n", chunk)})",
            r => index._tagByChip.TryAdd(r.GetString(0), Bound(r.GetString(1), r.GetString(2), r.GetString(3))));
        ReadChunked(c, tx, units.SelectMany(u => u.Fixes).Select(f => (object)f.EventId).Distinct().ToList(),
            (cmd, chunk) => $"SELECT event_id FROM journal WHERE kind = 'fix' AND event_id IN ({ManyRows.InList(cmd, "f", chunk)})",
            r => index._fixes.Add(r.GetString(0)));
        return index;
    }

    /// <summary>The content hash of the seal stored under <paramref name="eventId"/>, or null.</summary>
    public byte[]? HashOf(string eventId) => _hashByEvent.GetValueOrDefault(eventId);

    /// <summary>The event that sealed the tag, or null.</summary>
    public string? SealedBy(string gtin, string serial) => _eventByTag.GetValueOrDefault((gtin, serial));

    /// <summary>"gtin/serial by event id" of the seal the chip is bound to, or null.</summary>
    public string? ChipBoundTo(string nfcUid) => _tagByChip.GetValueOrDefault(nfcUid);

    public bool HasFix(string eventId) => _fixes.Contains(eventId);

    /// <summary>Records a seal this commit stores, for the checks of the seals after it.</summary>
    public void Add(SealToStore seal)
    {
        _hashByEvent[seal.EventId] = seal.ContentHash;
        _eventByTag[(seal.Gtin, seal.Serial)] = seal.EventId;
        if (seal.NfcUid is not null)
        {
            _tagByChip.TryAdd(seal.NfcUid, Bound(seal.EventId, seal.Gtin, seal.Serial));
        }
    }

    public void AddFix(string eventId) => _fixes.Add(eventId);

    /// <summary>Runs the query <paramref name="text"/> builds (binding a chunk of keys) once per chunk, handing each row to <paramref name="row"/>.</summary>
    private static void ReadChunked<TKey>(DbConnection c, DbTransaction tx, IReadOnlyList<TKey> keys, Func<DbCommand, IReadOnlyList<TKey>, string> text, Action<DbDataReader> row)
    {
        foreach (var chunk in ManyRows.Chunks(keys))
        {
            using var cmd = c.Command(string.Empty, tx);
            cmd.CommandText = text(cmd, chunk);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                row(r);
            }
        }
    }

    private static string Bound(string eventId, string gtin, string serial) => $"{gtin}/{serial} by event {eventId}";
}

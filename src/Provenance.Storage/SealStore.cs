using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Reads stored seals. Thread-safe.</summary>
public sealed class SealStore(ProvenanceDatabase database)
{
    public StoredSeal? FindByTag(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            $"SELECT {SealColumns} FROM {SealJoins} WHERE s.gtin = @g AND s.serial = @s")
            .With("@g", gtin).With("@s", serial);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return ReadSeal(r, 0);
    }

    /// <summary>A seal with its site name, ledger entry and proof: the columns <see cref="ReadSeal"/> reads, over <see cref="SealJoins"/>.</summary>
    internal const string SealColumns =
        "s.event_id, s.gateway_id, s.site_id, si.name, s.line, s.sealed_at, s.seal_type, s.nfc_uid, s.attested, s.attestation_json, l.idx, l.entry_hash, p.tx_id, p.block_number";

    internal const string SealJoins =
        "seals s LEFT JOIN sites si ON si.id = s.site_id LEFT JOIN ledger l ON l.event_id = s.event_id LEFT JOIN ledger_proofs p ON p.event_id = s.event_id";

    /// <summary>Reads <see cref="SealColumns"/> starting at column <paramref name="first"/>.</summary>
    internal static StoredSeal ReadSeal(DbDataReader r, int first)
    {
        var i = first;
        return new StoredSeal(
            r.GetString(i), r.GetString(i + 1), r.GetString(i + 2), r.NullableString(i + 3), r.GetString(i + 4), Sql.ParseTimestamp(r.GetString(i + 5)), r.GetString(i + 6),
            r.NullableString(i + 7), r.GetInt64(i + 8) != 0, r.GetString(i + 9), r.IsDBNull(i + 10) ? null : r.GetInt64(i + 10),
            r.IsDBNull(i + 11) ? null : (byte[])r.GetValue(i + 11), r.NullableString(i + 12), r.IsDBNull(i + 13) ? null : r.GetInt64(i + 13));
    }

    public bool ContainsEvent(string eventId)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM seals WHERE event_id = @e").With("@e", eventId).ScalarLong() > 0;
    }

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM seals").ScalarLong();
    }

    /// <summary>Sealed tags, newest first (for the demo and dashboards).</summary>
    public IReadOnlyList<(string Gtin, string Serial, DateTimeOffset SealedAt)> Latest(int limit)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, serial, sealed_at FROM seals ORDER BY rowid DESC LIMIT @n").With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string, DateTimeOffset)>();
        while (r.Read())
        {
            list.Add((r.GetString(0), r.GetString(1), Sql.ParseTimestamp(r.GetString(2))));
        }

        return list;
    }
}

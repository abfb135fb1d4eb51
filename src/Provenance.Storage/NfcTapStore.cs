using Provenance.Core.Verdicts;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// NFC caps: which bottle a chip was bound to (the <c>nfc_uid</c> of its seal event) and the highest read counter
/// accepted per chip. <see cref="Advance"/> moves the counter forward atomically, so of two requests carrying the
/// same message exactly one is fresh. Thread-safe.
/// </summary>
public sealed class NfcTapStore(ProvenanceDatabase database)
{
    /// <summary>The bottle a chip was bound to at a line, if any (UID as upper-case hex).</summary>
    public NfcBinding? FindBinding(string uid)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gtin, serial, event_id FROM seals WHERE nfc_uid = @u ORDER BY rowid LIMIT 1").With("@u", uid);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new NfcBinding(uid, r.GetString(0), r.GetString(1), r.GetString(2)) : null;
    }

    /// <summary>
    /// Accepts <paramref name="counter"/> for the chip when it is higher than every counter accepted before, and says
    /// how it compared: fresh, the same (replayed), or lower (rolled back). The tap is counted either way.
    /// </summary>
    public NfcCounterOutcome Advance(string uid, int keyId, int counter, string tamper, DateTimeOffset at)
    {
        var now = Sql.Timestamp(at);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var previous = c.Command("SELECT last_counter FROM nfc_taps WHERE uid = @u", tx).With("@u", uid).ExecuteScalar();
        NfcCounterOutcome outcome;
        if (previous is null)
        {
            c.Command("INSERT INTO nfc_taps (uid, key_id, last_counter, taps, tamper, first_at, last_at) VALUES (@u, @k, @c, 1, @t, @at, @at)", tx)
                .With("@u", uid).With("@k", keyId).With("@c", counter).With("@t", tamper).With("@at", now).ExecuteNonQuery();
            outcome = new NfcCounterOutcome(CapCounter.Fresh, null);
        }
        else
        {
            var last = Convert.ToInt32(previous, System.Globalization.CultureInfo.InvariantCulture);
            var state = counter > last ? CapCounter.Fresh : counter == last ? CapCounter.Replayed : CapCounter.RolledBack;
            c.Command(state == CapCounter.Fresh
                    ? "UPDATE nfc_taps SET last_counter = @c, key_id = @k, tamper = @t, taps = taps + 1, last_at = @at WHERE uid = @u"
                    : "UPDATE nfc_taps SET taps = taps + 1 WHERE uid = @u", tx)
                .With("@u", uid).With("@k", keyId).With("@c", counter).With("@t", tamper).With("@at", now).ExecuteNonQuery();
            outcome = new NfcCounterOutcome(state, last);
        }

        tx.Commit();
        return outcome;
    }

    /// <summary>The last accepted tap of a chip: counter, tamper status wire name and when; null if never tapped.</summary>
    public (int LastCounter, string Tamper, int Taps, DateTimeOffset LastAt)? Find(string uid)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT last_counter, tamper, taps, last_at FROM nfc_taps WHERE uid = @u").With("@u", uid);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt32(0), r.GetString(1), r.GetInt32(2), Sql.ParseTimestamp(r.GetString(3))) : null;
    }
}

/// <summary>How a tap's read counter compared with the highest accepted before (<see cref="Previous"/>: null on the first tap).</summary>
public sealed record NfcCounterOutcome(CapCounter State, int? Previous);

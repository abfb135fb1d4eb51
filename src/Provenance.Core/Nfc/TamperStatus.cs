namespace Provenance.Core.Nfc;

/// <summary>
/// The tamper loop of an NTAG 424 DNA TagTamper cap, as the chip mirrors it: two ASCII characters, the permanent
/// status (was the loop ever opened?) then the current one, each <c>C</c> closed, <c>O</c> open or <c>I</c> not
/// initialised. Wire names (<see cref="TamperStatuses.Name"/>) are stable API.
/// </summary>
public enum TamperStatus
{
    /// <summary>The message carries no tamper data (a plain NTAG 424 DNA cap).</summary>
    Absent,

    /// <summary><c>CC</c>: the loop has never been opened.</summary>
    Closed,

    /// <summary><c>OC</c>: the loop was opened at some time, and is closed now (rejoined or taped).</summary>
    WasOpened,

    /// <summary><c>OO</c>: the loop is open.</summary>
    Open,

    /// <summary><c>II</c>: the tamper feature was never enabled on this chip.</summary>
    NotInitialised,

    /// <summary>Any other pair of characters: the chip's file layout is not the one this system encodes.</summary>
    Unreadable,
}

/// <summary>Reads and names <see cref="TamperStatus"/> values.</summary>
public static class TamperStatuses
{
    /// <summary>The status from the two mirrored characters (permanent, current).</summary>
    public static TamperStatus Parse(ReadOnlySpan<byte> mirrored)
    {
        if (mirrored.Length < 2)
        {
            return TamperStatus.Unreadable;
        }

        return ((char)mirrored[0], (char)mirrored[1]) switch
        {
            ('C', 'C') => TamperStatus.Closed,
            ('O', 'C') => TamperStatus.WasOpened,
            ('O', 'O') => TamperStatus.Open,
            ('I', 'I') => TamperStatus.NotInitialised,
            _ => TamperStatus.Unreadable,
        };
    }

    /// <summary>The two characters a chip mirrors for <paramref name="status"/> (for the tap emulator).</summary>
    public static string Mirror(TamperStatus status) => status switch
    {
        TamperStatus.Closed => "CC",
        TamperStatus.WasOpened => "OC",
        TamperStatus.Open => "OO",
        TamperStatus.NotInitialised => "II",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "only CC, OC, OO and II are mirrored by a chip"),
    };

    /// <summary>The stable wire name: <c>absent</c>, <c>closed</c>, <c>was_opened</c>, <c>open</c>, <c>not_initialised</c>, <c>unreadable</c>.</summary>
    public static string Name(TamperStatus status) => status switch
    {
        TamperStatus.Absent => "absent",
        TamperStatus.Closed => "closed",
        TamperStatus.WasOpened => "was_opened",
        TamperStatus.Open => "open",
        TamperStatus.NotInitialised => "not_initialised",
        TamperStatus.Unreadable => "unreadable",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Whether the loop says the bottle has been opened.</summary>
    public static bool SaysOpened(TamperStatus status) => status is TamperStatus.Open or TamperStatus.WasOpened;
}

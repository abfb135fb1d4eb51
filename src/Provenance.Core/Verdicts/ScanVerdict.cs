namespace Provenance.Core.Verdicts;

/// <summary>
/// What a scan tells about a bottle. Wire names (<see cref="ScanVerdicts.Name"/>) are stable API. The declaration
/// order is not the precedence; <see cref="VerdictEngine"/> documents and applies the precedence.
/// </summary>
public enum ScanVerdict
{
    /// <summary>Issued, sealed at a registered line, nothing suspicious.</summary>
    Authentic,

    /// <summary>The code's MAC fails: not made by the producer.</summary>
    Counterfeit,

    /// <summary>Authenticated but never issued: a key leak or lost data; raise an alert.</summary>
    Unknown,

    /// <summary>Issued but never sealed at a line: stolen or leaked labels.</summary>
    NotSealed,

    /// <summary>The producer recalled the bottle's lot, or the bottle itself.</summary>
    Recalled,

    /// <summary>The producer voided the tag (a damaged, misprinted or destroyed label).</summary>
    Void,

    /// <summary>A seal-opened event was recorded (NFC tamper loop, scratch-off inner code, or a retailer's scan).</summary>
    Opened,

    /// <summary>The code looks copied: impossible travel between scans, too many distinct scanners, or scanned long after it was opened.</summary>
    SuspectClone,

    /// <summary>Scanned outside the sales region of the distributor it was shipped to.</summary>
    Diverted,

    /// <summary>
    /// The code is genuine and a registered gateway sealed it, but its receiver placed it far outside the plant's
    /// geofence (farther than <see cref="VerdictPolicy.SuspectOriginMeters"/>): a stolen gateway or a side workshop.
    /// </summary>
    SuspectOrigin,

    /// <summary>
    /// The bottle's seal was opened (its inner code scanned, or an opening reported), yet it turned up sealed in trade
    /// afterwards (a distributor's receipt): it may have been refilled and recapped.
    /// </summary>
    SuspectRefill,
}

/// <summary>Names and sentences for verdicts.</summary>
public static class ScanVerdicts
{
    /// <summary>Every verdict, in precedence order (the first that applies wins).</summary>
    public static IReadOnlyList<ScanVerdict> Precedence { get; } =
    [
        ScanVerdict.Counterfeit,
        ScanVerdict.Unknown,
        ScanVerdict.Void,
        ScanVerdict.Recalled,
        ScanVerdict.NotSealed,
        ScanVerdict.SuspectRefill,
        ScanVerdict.SuspectClone,
        ScanVerdict.SuspectOrigin,
        ScanVerdict.Opened,
        ScanVerdict.Diverted,
        ScanVerdict.Authentic,
    ];

    /// <summary>The stable wire name, e.g. <c>not_sealed</c>.</summary>
    public static string Name(ScanVerdict verdict) => verdict switch
    {
        ScanVerdict.Authentic => "authentic",
        ScanVerdict.Counterfeit => "counterfeit",
        ScanVerdict.Unknown => "unknown",
        ScanVerdict.NotSealed => "not_sealed",
        ScanVerdict.Recalled => "recalled",
        ScanVerdict.Void => "void",
        ScanVerdict.Opened => "opened",
        ScanVerdict.SuspectClone => "suspect_clone",
        ScanVerdict.Diverted => "diverted",
        ScanVerdict.SuspectOrigin => "suspect_origin",
        ScanVerdict.SuspectRefill => "suspect_refill",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>The human sentence shown when the page has nothing more specific.</summary>
    public static string Sentence(ScanVerdict verdict) => verdict switch
    {
        ScanVerdict.Authentic => "Genuine: this bottle was sealed by the producer.",
        ScanVerdict.Counterfeit => "Counterfeit: this code was not issued by the producer.",
        ScanVerdict.Unknown => "Unknown: this code is well-formed but was never issued. The producer has been alerted.",
        ScanVerdict.NotSealed => "Not sealed: this label was issued but never applied at a bottling line. Do not trust this bottle.",
        ScanVerdict.Recalled => "Recalled: the producer has recalled this bottle. Do not drink it; return it where you bought it.",
        ScanVerdict.Void => "Void: the producer has cancelled this code. Do not trust this bottle.",
        ScanVerdict.Opened => "Opened: this bottle's seal has already been opened.",
        ScanVerdict.SuspectClone => "Suspicious copy: this code has been scanned in ways a single bottle cannot be. It may be a copied label.",
        ScanVerdict.Diverted => "Diverted: this bottle was sold outside the region it was shipped to. It may be genuine but grey-market.",
        ScanVerdict.SuspectOrigin => "Suspect origin: the code is genuine, but the bottle was sealed far outside the producer's plant. It may have been filled outside the producer's control.",
        ScanVerdict.SuspectRefill => "Suspected refill: this bottle was opened, yet it was later handled in trade as a sealed bottle. Its contents may have been replaced.",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>The verdict with wire name <paramref name="name"/>, or null.</summary>
    public static ScanVerdict? Parse(string? name) => Precedence.Cast<ScanVerdict?>().FirstOrDefault(v => Name(v!.Value) == name);
}

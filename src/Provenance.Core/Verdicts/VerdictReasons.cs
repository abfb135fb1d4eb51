namespace Provenance.Core.Verdicts;

/// <summary>Machine-readable reason codes a verdict carries (stable wire names; a verdict may carry several).</summary>
public static class VerdictReasons
{
    public const string MacInvalid = "mac_invalid";
    public const string NotIssued = "not_issued";
    public const string NotSealed = "not_sealed";
    public const string TagVoided = "tag_voided";
    public const string LotRecalled = "lot_recalled";
    public const string TagRecalled = "tag_recalled";
    public const string SealOpened = "seal_opened";
    public const string ImpossibleTravel = "impossible_travel";
    public const string TooManyScanners = "too_many_scanners";
    public const string ScannedAfterOpened = "scanned_after_opened";
    public const string OutsideSalesRegion = "outside_sales_region";
    public const string PreviouslyOutsideSalesRegion = "previously_outside_sales_region";
    public const string SealedAtRegisteredLine = "sealed_at_registered_line";

    /// <summary>The bottle's inner (under-cap) code was scanned: that scan is its opening.</summary>
    public const string InnerCodeScanned = "inner_code_scanned";

    /// <summary>This inner code was scanned before: the bottle was opened at that first scan.</summary>
    public const string InnerCodeUsedBefore = "inner_code_used_before";

    /// <summary>A distributor received the bottle (as sealed stock) after its opening was recorded: decides <c>suspect_refill</c>.</summary>
    public const string InTradeAfterOpened = "in_trade_after_opened";

    /// <summary>NFC cap: the tamper loop is closed and was never opened (TagTamper <c>CC</c>).</summary>
    public const string CapSealed = "cap_sealed";

    /// <summary>NFC cap: the message is authentic, and the cap reports no tamper loop.</summary>
    public const string CapVerified = "cap_verified";

    /// <summary>NFC cap: the tamper feature was never enabled on the chip (<c>II</c>).</summary>
    public const string CapLoopNotArmed = "cap_loop_not_armed";

    /// <summary>NFC cap: the chip's file data is not in the layout this system encodes.</summary>
    public const string CapLoopUnreadable = "cap_loop_unreadable";

    /// <summary>NFC cap: the tamper loop is open (<c>OO</c>).</summary>
    public const string CapLoopOpen = "cap_loop_open";

    /// <summary>NFC cap: the tamper loop was opened and is closed again (<c>OC</c>).</summary>
    public const string CapLoopWasOpened = "cap_loop_was_opened";

    /// <summary>NFC cap: the same message (same read counter) was presented before.</summary>
    public const string CapMessageReplayed = "cap_message_replayed";

    /// <summary>NFC cap: the read counter is lower than one already accepted.</summary>
    public const string CapCounterRollback = "cap_counter_rollback";

    /// <summary>NFC cap: a genuine chip that no seal event bound to a bottle.</summary>
    public const string CapNotBound = "cap_not_bound";

    /// <summary>The gateway's satellite fix placed the seal inside the plant's geofence, with every quality check passed.</summary>
    public const string OriginAttested = "origin_attested";

    /// <summary>The origin could not be confirmed; the attestation's failure codes (<c>OriginAttestation.AllCodes</c>) follow it as reasons.</summary>
    public const string OriginNotAttested = "origin_not_attested";

    /// <summary>Sealed farther outside the plant's geofence than <see cref="VerdictPolicy.SuspectOriginMeters"/>: decides <c>suspect_origin</c>.</summary>
    public const string FarOutsideGeofence = "far_outside_geofence";

    /// <summary>Every reason code the engine can give: the constants above and every origin failure code.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MacInvalid, NotIssued, NotSealed, TagVoided, LotRecalled, TagRecalled, SealOpened, ImpossibleTravel, TooManyScanners,
        ScannedAfterOpened, OutsideSalesRegion, PreviouslyOutsideSalesRegion, SealedAtRegisteredLine, OriginAttested, OriginNotAttested,
        FarOutsideGeofence, CapSealed, CapVerified, CapLoopNotArmed, CapLoopUnreadable, CapLoopOpen, CapLoopWasOpened, CapMessageReplayed,
        CapCounterRollback, CapNotBound, InnerCodeScanned, InnerCodeUsedBefore, InTradeAfterOpened, .. Origin.OriginAttestation.AllCodes,
    ];
}

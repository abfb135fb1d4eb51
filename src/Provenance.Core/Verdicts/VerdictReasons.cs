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
        FarOutsideGeofence, .. Origin.OriginAttestation.AllCodes,
    ];
}

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
}

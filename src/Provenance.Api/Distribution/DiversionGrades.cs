namespace Provenance.Api.Distribution;

/// <summary>
/// How strongly evidence says a bottle left its dealer's region (stable wire names, in <c>detail.grade</c> of
/// <c>diverted</c> alerts), and the kinds of evidence behind a grade (<c>detail.evidence[].kind</c>).
/// </summary>
public static class DiversionGrades
{
    /// <summary>A dealer's own custody scan proves it: a dealer scan outside the region, or a dealer of another branch holding the bottle.</summary>
    public const string Strong = "strong";

    /// <summary>Custody moved sideways inside one branch, or several independent consumer scans far away point at one dealer.</summary>
    public const string Moderate = "moderate";

    /// <summary>A consumer scan outside the region: people carry bottles (购饮分离), so it is recorded for the producer and alerts no dealer.</summary>
    public const string Weak = "weak";

    /// <summary>A dealer's scan-in, scan-out or receipt at a place outside the region of the dealer responsible for the bottle.</summary>
    public const string DealerScanOutsideRegion = "dealer_scan_outside_region";

    /// <summary>A dealer under another top-level distributor scanned the bottle in.</summary>
    public const string ReceivedByAnotherBranch = "received_by_another_branch";

    /// <summary>A dealer of the same branch, but neither the addressee nor on the holder's line, scanned the bottle in.</summary>
    public const string ReceivedByUnexpectedDealer = "received_by_unexpected_dealer";

    /// <summary>A consumer's scan outside the region (the only kind of weak evidence).</summary>
    public const string ConsumerScanOutsideRegion = "consumer_scan_outside_region";

    /// <summary>Independent weak signals (distinct bottles and scanners) for one dealer within the window.</summary>
    public const string RepeatedConsumerScans = "repeated_consumer_scans_outside_region";

    /// <summary>The strongest grade the evidence kinds support.</summary>
    public static string? Grade(IEnumerable<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var list = kinds.ToList();
        return list.Any(k => k is DealerScanOutsideRegion or ReceivedByAnotherBranch) ? Strong
            : list.Any(k => k is ReceivedByUnexpectedDealer or RepeatedConsumerScans) ? Moderate
            : list.Count > 0 ? Weak
            : null;
    }
}

namespace Provenance.Core.Verdicts;

/// <summary>
/// What the registry knows about an authenticated tag: whether it was issued and sealed, and the producer's and
/// retailers' events on it. Immutable.
/// </summary>
public sealed record TagFacts(bool Issued, bool Sealed)
{
    /// <summary>When the producer voided the tag, if it did.</summary>
    public DateTimeOffset? VoidedAt { get; init; }

    /// <summary>The recall that covers the tag (of its lot or of the tag itself), if any.</summary>
    public RecallFacts? Recall { get; init; }

    /// <summary>The first seal-opened event, if any.</summary>
    public OpenedFacts? Opened { get; init; }
}

/// <summary>A recall: when, why, and whether it named the lot or the single tag.</summary>
public sealed record RecallFacts(DateTimeOffset At, string? Reason, bool WholeLot);

/// <summary>A seal-opened event: when, and what reported it (<c>nfc</c>, <c>inner_code</c>, <c>scratch</c>, <c>retailer</c>).</summary>
public sealed record OpenedFacts(DateTimeOffset At, string Source)
{
    /// <summary>The source of an opening recorded by the first scan of the bottle's inner (under-cap) code.</summary>
    public const string InnerCode = "inner_code";

    /// <summary>The opening was the first scan of the inner code: the consumer who opened it scans the outer code too.</summary>
    public bool ByInnerCode => Source == InnerCode;
}

/// <summary>A shipment that allocated the tag: the distributor and the region it may be sold in. Immutable.</summary>
public sealed record ShipmentFacts(string DistributorId, SalesRegion Region);

/// <summary>One earlier scan of the same code: when, where (coarsened), and by which opaque scanner id.</summary>
public sealed record PastScan(DateTimeOffset At, ScanLocation Location, string? Scanner);

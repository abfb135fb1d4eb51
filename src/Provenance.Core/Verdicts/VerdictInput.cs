namespace Provenance.Core.Verdicts;

/// <summary>
/// Everything the engine decides from. <see cref="Tag"/> is null when the MAC failed (nothing was looked up).
/// <see cref="History"/> holds earlier scans of the code, oldest first, without this one. Immutable.
/// </summary>
public sealed record VerdictInput(bool MacValid, DateTimeOffset Now)
{
    public TagFacts? Tag { get; init; }

    public IReadOnlyList<PastScan> History { get; init; } = [];

    public ShipmentFacts? Shipment { get; init; }

    public ScanLocation Location { get; init; } = ScanLocation.None;

    /// <summary>The seal's origin attestation (null when the tag was never sealed, or the seal predates attestation).</summary>
    public OriginFacts? Origin { get; init; }

    /// <summary>What the NFC cap said, when this scan is a tap of one (null for printed codes).</summary>
    public CapFacts? Cap { get; init; }

    /// <summary>The opaque id of this scanner (never an address).</summary>
    public string? Scanner { get; init; }
}

using Provenance.Api.Distribution;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>What storage knows about one tag, gathered for a verdict: registry row, seal, events, history, shipment.</summary>
public sealed record TagSituation(IssuedTag? Tag, StoredSeal? Seal, TagFacts Facts, IReadOnlyList<PastScan> History, ShipmentFacts? Shipment, RegionDto? Region)
{
    /// <summary>A tag the registry does not know.</summary>
    public static TagSituation NotIssued { get; } = new(null, null, new TagFacts(false, false), [], null, null);

    /// <summary>The verdict given at the last recorded scan, if any.</summary>
    public string? LastVerdict { get; init; }

    /// <summary>The seal's origin attestation as stored (null when not sealed).</summary>
    public Core.Origin.OriginAttestation? Attestation { get; init; }

    /// <summary>What the verdict engine needs of the attestation (null when not sealed).</summary>
    public OriginFacts? Origin { get; init; }
}

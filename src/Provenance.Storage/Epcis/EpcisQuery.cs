namespace Provenance.Storage.Epcis;

/// <summary>
/// A simple event query, the subset of the EPCIS 2.0 query language this repository answers. Every list is "any of";
/// null or empty means no restriction. EPCs are canonical Digital Link URIs (see <see cref="EpcisEventRow.Canonical"/>).
/// </summary>
public sealed record EpcisQuery
{
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Full bizStep URIs.</summary>
    public IReadOnlyList<string> BizSteps { get; init; } = [];

    public IReadOnlyList<string> Actions { get; init; } = [];

    public IReadOnlyList<string> Dispositions { get; init; } = [];

    public IReadOnlyList<string> BizLocations { get; init; } = [];

    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>MATCH_anyEPC: events naming any of these in their EPC lists, parent or class lists.</summary>
    public IReadOnlyList<string> AnyEpcs { get; init; } = [];

    /// <summary>The bottles among <see cref="AnyEpcs"/>, to find the commissioning events of their batches.</summary>
    public IReadOnlyList<TagKey> AnyBottles { get; init; } = [];

    public IReadOnlyList<string> ParentIds { get; init; } = [];

    public DateTimeOffset? EventTimeFrom { get; init; }

    public DateTimeOffset? EventTimeBefore { get; init; }

    public DateTimeOffset? RecordTimeFrom { get; init; }

    public DateTimeOffset? RecordTimeBefore { get; init; }

    /// <summary>A lot: events about its bottles' commissioning (by batch) or naming the lot's bottles.</summary>
    public (string Gtin, string Lot)? Lot { get; init; }

    /// <summary>When set, only events this distributor may see: its own, and events about the given bottles allocated to it.</summary>
    public string? VisibleToDistributor { get; init; }

    /// <summary>Bottles allocated to <see cref="VisibleToDistributor"/> whose whole history it may see.</summary>
    public IReadOnlyList<string> VisibleEpcs { get; init; } = [];

    public long AfterSequence { get; init; }

    public int Limit { get; init; } = 100;
}

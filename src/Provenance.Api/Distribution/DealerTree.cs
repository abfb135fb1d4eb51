using Provenance.Api.Security;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Object-level rules of the dealer tree: producers and admins reach every dealer; a dealer reaches itself and the
/// dealers below it, never a sibling, a parent or another branch (those answer 404, as if they did not exist).
/// Thread-safe.
/// </summary>
public sealed class DealerTree(DistributorStore dealers)
{
    /// <summary>The dealer <paramref name="dealerId"/> when the caller may reach it, else null.</summary>
    public StoredDistributor? Reach(ApiCaller caller, string dealerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var line = dealers.Lineage(dealerId);
        if (line.Count == 0)
        {
            return null;
        }

        return !caller.IsDistributor || line.Any(d => d.Id == caller.DistributorId) ? line[0] : null;
    }

    /// <summary>The dealer the calling key speaks for, or null (producer, admin, or a dealer deleted since).</summary>
    public StoredDistributor? Self(ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsDistributor && caller.DistributorId is { } id && dealers.Find(id) is { } self && self.Level == caller.Role ? self : null;
    }

    /// <summary>The top-level distributor of a dealer's branch (itself for a distributor), or null when it does not exist.</summary>
    public string? Root(string dealerId) => dealers.Lineage(dealerId) is { Count: > 0 } line ? line[^1].Id : null;

    /// <summary>True when one of the two dealers is the other or sits above it.</summary>
    public bool SameLine(string a, string b) =>
        a == b || dealers.Lineage(a).Any(d => d.Id == b) || dealers.Lineage(b).Any(d => d.Id == a);

    public StoredDistributor? Find(string dealerId) => dealers.Find(dealerId);

    /// <summary>A dealer's own sales region, or null when it has none that can be built.</summary>
    public static SalesRegion? Region(StoredDistributor dealer)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        return RegionDto.FromJson(dealer.RegionJson).TryBuild(out _);
    }
}

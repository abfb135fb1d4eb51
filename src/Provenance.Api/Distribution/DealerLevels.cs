using Provenance.Api.Security;

namespace Provenance.Api.Distribution;

/// <summary>
/// The levels of the dealer tree, top down: distributor → sub-distributor → retailer. A dealer's children are of a lower
/// level; a level's name is also the role of its API keys.
/// </summary>
public static class DealerLevels
{
    public const string Distributor = ApiRoles.Distributor;
    public const string SubDistributor = ApiRoles.SubDistributor;
    public const string Retailer = ApiRoles.Retailer;

    /// <summary>0 for distributors, 1 for sub-distributors, 2 for retailers, -1 for anything else.</summary>
    public static int Rank(string? level) => level switch
    {
        Distributor => 0,
        SubDistributor => 1,
        Retailer => 2,
        _ => -1,
    };

    /// <summary>True when a dealer of level <paramref name="child"/> may sit under one of level <paramref name="parent"/>.</summary>
    public static bool MayBeUnder(string? child, string? parent) => Rank(child) > 0 && Rank(parent) >= 0 && Rank(child) > Rank(parent);
}

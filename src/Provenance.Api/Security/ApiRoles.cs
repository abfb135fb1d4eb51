namespace Provenance.Api.Security;

/// <summary>
/// The roles an API key can have. Dealers (<see cref="Distributor"/>, <see cref="SubDistributor"/>, <see cref="Retailer"/>)
/// are bound to one dealer account and see only their own objects and, for those above others, their branch of the tree.
/// </summary>
public static class ApiRoles
{
    public const string Admin = "admin";
    public const string Producer = "producer";
    public const string Distributor = "distributor";
    public const string SubDistributor = "sub_distributor";
    public const string Retailer = "retailer";

    public static bool IsValid(string? role) => role is Admin or Producer || IsDealer(role);

    /// <summary>True for the roles a dealer account's key has (each needs the dealer it speaks for).</summary>
    public static bool IsDealer(string? role) => role is Distributor or SubDistributor or Retailer;
}

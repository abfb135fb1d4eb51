namespace Provenance.Api.Security;

/// <summary>The roles an API key can have.</summary>
public static class ApiRoles
{
    public const string Admin = "admin";
    public const string Producer = "producer";
    public const string Distributor = "distributor";

    public static bool IsValid(string? role) => role is Admin or Producer or Distributor;
}

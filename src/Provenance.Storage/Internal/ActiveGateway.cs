using System.Data.Common;

namespace Provenance.Storage.Internal;

/// <summary>The check before a gateway gets IoT Hub credentials: it is registered and not revoked.</summary>
internal static class ActiveGateway
{
    /// <exception cref="RegistryConflictException">The gateway does not exist or is revoked.</exception>
    public static void Require(DbConnection connection, DbTransaction transaction, string gatewayId)
    {
        using var check = connection.Command("SELECT CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END FROM gateways WHERE id = @id", transaction).With("@id", gatewayId);
        if (check.ExecuteScalar() is not { } active || Convert.ToInt64(active, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new RegistryConflictException($"gateway '{gatewayId}' does not exist or is revoked; register it first with 'provenance gateways add'");
        }
    }
}

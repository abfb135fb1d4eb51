using System.Security.Cryptography;
using Provenance.Core.Registry;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A gateway's life after registration: key rotation (with the history of its keys), a new MQTT secret, revocation.</summary>
public sealed partial class RegistryStore
{
    public const int MaxRevocationReasonLength = 500;

    /// <summary>
    /// Revokes a gateway: from now on it is refused at CONNECT and every message it still sends is dead-lettered as
    /// <c>revoked_gateway</c>; what it sealed before stays. Revoking twice keeps the first revocation. Returns the
    /// registration as revoked, or null when the gateway does not exist.
    /// </summary>
    public GatewayRegistration? RevokeGateway(string gatewayId, string? reason)
    {
        using (var c = database.Connect())
        {
            c.Command("UPDATE gateways SET revoked_at = @at, revocation_reason = @r WHERE id = @id AND revoked_at IS NULL")
                .With("@at", Sql.Timestamp(database.Time.GetUtcNow())).With("@r", Bounded(reason)).With("@id", gatewayId).ExecuteNonQuery();
        }

        return FindGateway(gatewayId);
    }

    /// <summary>
    /// Replaces an active gateway's signing key: messages signed with the old key are refused from now on (the old key
    /// stays in <see cref="GatewayKeyHistory"/>, so records it signed still verify). The key version goes up by one, which
    /// is what the Fabric engine compares (by fingerprint) to rotate the key on the chain.
    /// </summary>
    /// <exception cref="RegistryConflictException">The gateway does not exist, is revoked, or already has this key.</exception>
    public GatewayRegistration RotateGatewayKey(string gatewayId, string publicKeyPem, string keyFingerprint)
    {
        var now = Sql.Timestamp(database.Time.GetUtcNow());
        using (var c = database.Connect())
        using (var tx = database.BeginWrite(c))
        {
            var current = Active(gatewayId);
            if (current.KeyFingerprint == keyFingerprint)
            {
                throw new RegistryConflictException($"gateway '{gatewayId}' already has key {keyFingerprint}");
            }

            if (c.Command("SELECT 1 FROM gateway_keys WHERE gateway_id = @id AND key_fingerprint = @fp", tx).With("@id", gatewayId).With("@fp", keyFingerprint).ExecuteScalar() is not null)
            {
                throw new RegistryConflictException($"gateway '{gatewayId}' used key {keyFingerprint} before; a retired key is not taken back, generate a new one");
            }

            c.Command("UPDATE gateway_keys SET valid_until = @at WHERE gateway_id = @id AND valid_until IS NULL", tx).With("@at", now).With("@id", gatewayId).ExecuteNonQuery();
            c.Command("INSERT INTO gateway_keys (gateway_id, key_fingerprint, public_key_pem, valid_from) VALUES (@id, @fp, @pem, @at)", tx)
                .With("@id", gatewayId).With("@fp", keyFingerprint).With("@pem", publicKeyPem).With("@at", now).ExecuteNonQuery();
            c.Command("UPDATE gateways SET public_key_pem = @pem, key_fingerprint = @fp, key_version = key_version + 1 WHERE id = @id", tx)
                .With("@pem", publicKeyPem).With("@fp", keyFingerprint).With("@id", gatewayId).ExecuteNonQuery();
            tx.Commit();
        }

        return FindGateway(gatewayId)!;
    }

    /// <summary>Gives an active gateway a new MQTT secret (shown once; the old one stops working at once).</summary>
    /// <exception cref="RegistryConflictException">The gateway does not exist or is revoked.</exception>
    public string RotateGatewaySecret(string gatewayId)
    {
        Active(gatewayId);
        var secret = Base64UrlSecret();
        var salt = RandomNumberGenerator.GetBytes(16);
        using var c = database.Connect();
        c.Command("UPDATE gateways SET mqtt_secret_hash = @h, mqtt_secret_salt = @s WHERE id = @id AND revoked_at IS NULL")
            .With("@h", HashSecret(secret, salt)).With("@s", salt).With("@id", gatewayId).ExecuteNonQuery();
        return secret;
    }

    /// <summary>Every key a gateway has had, oldest first; the current one has no end.</summary>
    public IReadOnlyList<GatewayKeyRecord> GatewayKeyHistory(string gatewayId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT key_fingerprint, public_key_pem, valid_from, valid_until FROM gateway_keys WHERE gateway_id = @id ORDER BY valid_from").With("@id", gatewayId);
        using var r = cmd.ExecuteReader();
        var list = new List<GatewayKeyRecord>();
        while (r.Read())
        {
            var until = r.NullableString(3);
            list.Add(new GatewayKeyRecord(r.GetString(0), r.GetString(1), Sql.ParseTimestamp(r.GetString(2)), until is null ? null : Sql.ParseTimestamp(until)));
        }

        return list;
    }

    private GatewayRegistration Active(string gatewayId)
    {
        var gateway = FindGateway(gatewayId) ?? throw new RegistryConflictException($"gateway '{gatewayId}' is not registered");
        return gateway.IsRevoked
            ? throw new RegistryConflictException($"gateway '{gatewayId}' was revoked; register the device under a new id")
            : gateway;
    }

    private static string? Bounded(string? reason) => reason is { Length: > MaxRevocationReasonLength } ? reason[..MaxRevocationReasonLength] : reason;
}

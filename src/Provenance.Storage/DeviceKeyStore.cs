using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Gateways' IoT Hub device keys: the symmetric keys a gateway signs its SAS tokens with (<c>gateways add --auth
/// sas</c>). The broker must recompute each token's HMAC, so unlike MQTT secrets and API keys these cannot be stored
/// hashed; they are stored encrypted with AES-256-GCM under a key derived from the server secret, the gateway id
/// bound as associated data (a row copied onto another gateway does not decrypt). Thread-safe.
/// </summary>
public sealed class DeviceKeyStore(ProvenanceDatabase database, ServerSecret serverSecret)
{
    /// <summary>Bytes in an issued key (IoT Hub issues 256-bit keys too).</summary>
    public const int KeyBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _encryptionKey = serverSecret.Derive(ServerSecret.DeviceKeys);

    /// <summary>
    /// Issues a new device key for a registered, active gateway (replacing any earlier one) and returns it base64,
    /// as IoT Hub shows a device's primary key: shown once, put in the gateway's connection string.
    /// </summary>
    /// <exception cref="RegistryConflictException">The gateway does not exist or is revoked.</exception>
    public string Issue(string gatewayId)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[key.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(_encryptionKey, TagBytes))
        {
            aes.Encrypt(nonce, key, ciphertext, tag, Encoding.UTF8.GetBytes(gatewayId));
        }

        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        ActiveGateway.Require(c, tx, gatewayId);

        c.Command("INSERT INTO gateway_device_keys (gateway_id, nonce, ciphertext, tag, created_at) VALUES (@id, @n, @c, @t, @at) ON CONFLICT (gateway_id) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, tag = excluded.tag, created_at = excluded.created_at", tx)
            .With("@id", gatewayId).With("@n", nonce).With("@c", ciphertext).With("@t", tag).With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery();
        tx.Commit();
        return Convert.ToBase64String(key);
    }

    /// <summary>The gateway's device key; null when it has none, or when it was stored under another server secret.</summary>
    public byte[]? Find(string gatewayId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT nonce, ciphertext, tag FROM gateway_device_keys WHERE gateway_id = @id").With("@id", gatewayId);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var ciphertext = (byte[])r.GetValue(1);
        var key = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(_encryptionKey, TagBytes);
            aes.Decrypt((byte[])r.GetValue(0), ciphertext, (byte[])r.GetValue(2), key, Encoding.UTF8.GetBytes(gatewayId));
            return key;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}

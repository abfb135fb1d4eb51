using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A stored API key: its id, role and, for distributors, which distributor it speaks for.</summary>
public sealed record StoredApiKey(string Id, string Role, string? DistributorId, string? Name);

/// <summary>An API key as listed for its managers: never the secret, never the hash.</summary>
public sealed record ApiKeyInfo(string Id, string Role, string? DistributorId, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RotatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// API keys, stored as HMAC-SHA256 of a 256-bit random secret under a key derived from the server secret (the
/// secret itself is shown once and never stored; a stolen database alone cannot test guesses). Keys created before
/// keyed hashing (plain SHA-256) still work and are re-hashed on first use. Lookups go by hash; the hash found is
/// compared again in constant time. Revoking or rotating a key ends its dashboard sessions. Thread-safe.
/// </summary>
public sealed class ApiKeyStore(ProvenanceDatabase database, ServerSecret serverSecret)
{
    /// <summary>The prefix every key starts with, so leaked keys are recognisable by scanners.</summary>
    public const string Prefix = "pvk_";

    private const string Keyed = "hmac-sha256";
    private const string Legacy = "sha256";

    private readonly byte[] _hashKey = serverSecret.Derive(ServerSecret.ApiKeys);
    private volatile bool _legacyChecked;
    private volatile bool _legacyLeft;

    /// <summary>Creates a key and returns its id and the secret (the only time it exists in clear).</summary>
    public (string Id, string Secret) Create(string role, string? distributorId, string? name = null)
    {
        var secret = NewSecret();
        var id = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using var c = database.Connect();
        c.Command("INSERT INTO api_keys (id, key_hash, hash_scheme, role, distributor_id, name, created_at) VALUES (@id, @h, @s, @r, @d, @n, @at)")
            .With("@id", id).With("@h", Hash(secret)).With("@s", Keyed).With("@r", role).With("@d", distributorId).With("@n", name)
            .With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery();
        return (id, secret);
    }

    /// <summary>The key whose secret is <paramref name="secret"/>, or null (unknown or revoked).</summary>
    public StoredApiKey? Find(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length is 0 or > 256)
        {
            return null;
        }

        var hash = Hash(secret);
        using var c = database.Connect();
        return Lookup(c, hash, Keyed) ?? FindLegacy(c, secret, hash);
    }

    /// <summary>One key's listing, or null.</summary>
    public ApiKeyInfo? Get(string id)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{InfoColumns} WHERE id = @id").With("@id", id);
        return ReadInfos(cmd).FirstOrDefault();
    }

    /// <summary>Every key, oldest first (revoked ones too, with when).</summary>
    public IReadOnlyList<ApiKeyInfo> List()
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{InfoColumns} ORDER BY created_at, id");
        return ReadInfos(cmd);
    }

    /// <summary>Revokes a key at once (and ends its sessions); false when it does not exist or was revoked already.</summary>
    public bool Revoke(string id)
    {
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        var changed = c.Command("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", tx)
            .With("@at", Sql.Timestamp(database.Time.GetUtcNow())).With("@id", id).ExecuteNonQuery();
        c.Command("DELETE FROM dashboard_sessions WHERE key_id = @id", tx).With("@id", id).ExecuteNonQuery();
        tx.Commit();
        return changed == 1;
    }

    /// <summary>
    /// Gives a live key a new secret (same id, role and distributor) and returns it; the old secret stops working at once
    /// and the key's sessions end. Null when the key does not exist or is revoked.
    /// </summary>
    public string? Rotate(string id)
    {
        var secret = NewSecret();
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        var changed = c.Command("UPDATE api_keys SET key_hash = @h, hash_scheme = @s, rotated_at = @at WHERE id = @id AND revoked_at IS NULL", tx)
            .With("@h", Hash(secret)).With("@s", Keyed).With("@at", Sql.Timestamp(database.Time.GetUtcNow())).With("@id", id).ExecuteNonQuery();
        c.Command("DELETE FROM dashboard_sessions WHERE key_id = @id", tx).With("@id", id).ExecuteNonQuery();
        tx.Commit();
        return changed == 1 ? secret : null;
    }

    private const string InfoColumns = "SELECT id, role, distributor_id, name, created_at, rotated_at, revoked_at FROM api_keys";

    private static List<ApiKeyInfo> ReadInfos(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<ApiKeyInfo>();
        while (r.Read())
        {
            list.Add(new ApiKeyInfo(r.GetString(0), r.GetString(1), r.NullableString(2), r.NullableString(3), Sql.ParseTimestamp(r.GetString(4)),
                r.NullableString(5) is { } rotated ? Sql.ParseTimestamp(rotated) : null, r.NullableString(6) is { } revoked ? Sql.ParseTimestamp(revoked) : null));
        }

        return list;
    }

    private static StoredApiKey? Lookup(DbConnection c, byte[] hash, string scheme)
    {
        using var cmd = c.Command("SELECT id, key_hash, role, distributor_id, name FROM api_keys WHERE key_hash = @h AND hash_scheme = @s AND revoked_at IS NULL")
            .With("@h", hash).With("@s", scheme);
        using var r = cmd.ExecuteReader();
        return r.Read() && CryptographicOperations.FixedTimeEquals(hash, (byte[])r.GetValue(1))
            ? new StoredApiKey(r.GetString(0), r.GetString(2), r.NullableString(3), r.NullableString(4))
            : null;
    }

    /// <summary>A key created before keyed hashing: found by its SHA-256, then re-hashed with the server key.</summary>
    private StoredApiKey? FindLegacy(DbConnection c, string secret, byte[] keyedHash)
    {
        if (!_legacyChecked || _legacyLeft)
        {
            _legacyLeft = c.Command("SELECT EXISTS (SELECT 1 FROM api_keys WHERE hash_scheme = @s)").With("@s", Legacy).ScalarLong() == 1;
            _legacyChecked = true;
        }

        if (!_legacyLeft || Lookup(c, SHA256.HashData(Encoding.UTF8.GetBytes(secret)), Legacy) is not { } key)
        {
            return null;
        }

        c.Command("UPDATE api_keys SET key_hash = @h, hash_scheme = @s WHERE id = @id").With("@h", keyedHash).With("@s", Keyed).With("@id", key.Id).ExecuteNonQuery();
        return key;
    }

    private static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private byte[] Hash(string secret) => HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(secret));
}

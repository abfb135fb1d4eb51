using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A stored API key: its id, role and, for distributors, which distributor it speaks for.</summary>
public sealed record StoredApiKey(string Id, string Role, string? DistributorId, string? Name);

/// <summary>
/// API keys, stored as the SHA-256 of a 256-bit random secret (the secret itself is shown once and never stored).
/// Lookups go by hash; the hash found is compared again in constant time. Thread-safe.
/// </summary>
public sealed class ApiKeyStore(ProvenanceDatabase database)
{
    /// <summary>The prefix every key starts with, so leaked keys are recognisable by scanners.</summary>
    public const string Prefix = "pvk_";

    /// <summary>Creates a key and returns its id and the secret (the only time it exists in clear).</summary>
    public (string Id, string Secret) Create(string role, string? distributorId, string? name = null)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using var c = database.Connect();
        c.Command("INSERT INTO api_keys (id, key_hash, role, distributor_id, name, created_at) VALUES ($id, $h, $r, $d, $n, $at)")
            .With("$id", id).With("$h", Hash(secret)).With("$r", role).With("$d", distributorId).With("$n", name)
            .With("$at", Sql.Timestamp(DateTimeOffset.UtcNow)).ExecuteNonQuery();
        return (id, secret);
    }

    /// <summary>The key whose secret is <paramref name="secret"/>, or null (unknown or revoked).</summary>
    public StoredApiKey? Find(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = Hash(secret);
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, key_hash, role, distributor_id, name FROM api_keys WHERE key_hash = $h AND revoked_at IS NULL").With("$h", hash);
        using var r = cmd.ExecuteReader();
        if (!r.Read() || !CryptographicOperations.FixedTimeEquals(hash, (byte[])r.GetValue(1)))
        {
            return null;
        }

        return new StoredApiKey(r.GetString(0), r.GetString(2), r.NullableString(3), r.NullableString(4));
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Dashboard sign-in sessions, kept on the server: the browser holds only a random 256-bit token; the database holds
/// its HMAC (under a key derived from the server secret), the API key it stands for and when it ends. A session ends at
/// its expiry, at sign-out, or when its key is revoked or rotated. Thread-safe.
/// </summary>
public sealed class DashboardSessionStore(ProvenanceDatabase database, ServerSecret serverSecret, TimeProvider time)
{
    private readonly byte[] _hashKey = serverSecret.Derive(ServerSecret.Sessions);

    /// <summary>Starts a session for API key <paramref name="keyId"/> and returns its token (only the browser keeps it).</summary>
    public string Create(string keyId, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        c.Command("DELETE FROM dashboard_sessions WHERE expires_at <= @now", tx).With("@now", Sql.Timestamp(now)).ExecuteNonQuery();
        c.Command("INSERT INTO dashboard_sessions (token_hash, key_id, created_at, expires_at) VALUES (@h, @k, @at, @until)", tx)
            .With("@h", Hash(token)).With("@k", keyId).With("@at", Sql.Timestamp(now)).With("@until", Sql.Timestamp(now + lifetime)).ExecuteNonQuery();
        tx.Commit();
        return token;
    }

    /// <summary>The live key behind a live session, or null (unknown, expired, signed out, key revoked).</summary>
    public StoredApiKey? Find(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is 0 or > 128)
        {
            return null;
        }

        var hash = Hash(token);
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT s.token_hash, k.id, k.role, k.distributor_id, k.name FROM dashboard_sessions s JOIN api_keys k ON k.id = s.key_id " +
            "WHERE s.token_hash = @h AND s.expires_at > @now AND k.revoked_at IS NULL")
            .With("@h", hash).With("@now", Sql.Timestamp(time.GetUtcNow()));
        using var r = cmd.ExecuteReader();
        return r.Read() && CryptographicOperations.FixedTimeEquals(hash, (byte[])r.GetValue(0))
            ? new StoredApiKey(r.GetString(1), r.GetString(2), r.NullableString(3), r.NullableString(4))
            : null;
    }

    /// <summary>Ends a session (sign-out); unknown tokens are ignored.</summary>
    public void Delete(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var c = database.Connect();
        c.Command("DELETE FROM dashboard_sessions WHERE token_hash = @h").With("@h", Hash(token)).ExecuteNonQuery();
    }

    private byte[] Hash(string token) => HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(token));
}

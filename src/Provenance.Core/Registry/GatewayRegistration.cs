namespace Provenance.Core.Registry;

/// <summary>
/// A line gateway as registered: its site and its current P-256 public key (SPKI PEM). <see cref="KeyVersion"/> counts
/// the keys it has had (1 at registration, +1 per rotation); a revoked gateway is refused everywhere from
/// <see cref="RevokedAt"/> on.
/// </summary>
public sealed record GatewayRegistration(
    string Id, string SiteId, string PublicKeyPem, string KeyFingerprint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, int KeyVersion = 1, string? RevocationReason = null)
{
    public bool IsRevoked => RevokedAt is not null;
}

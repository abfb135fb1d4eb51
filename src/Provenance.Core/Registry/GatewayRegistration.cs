namespace Provenance.Core.Registry;

/// <summary>A line gateway as registered: its site and its P-256 public key (SPKI PEM).</summary>
public sealed record GatewayRegistration(string Id, string SiteId, string PublicKeyPem, string KeyFingerprint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

namespace Provenance.Storage;

/// <summary>One key a gateway has had: its fingerprint, SPKI PEM and when it was in use (<see cref="ValidUntil"/> null: current).</summary>
public sealed record GatewayKeyRecord(string KeyFingerprint, string PublicKeyPem, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil);

using System.Text.Json.Serialization;

namespace Provenance.Api.Producer;

/// <summary>A registered gateway as the producer sees it (never its secret).</summary>
public sealed record GatewayStateBody(
    [property: JsonPropertyName("gatewayId")] string GatewayId,
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("keyFingerprint")] string KeyFingerprint,
    [property: JsonPropertyName("keyVersion")] int KeyVersion,
    [property: JsonPropertyName("revokedAt")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("revocationReason")] string? RevocationReason);

/// <summary>What to rotate: a new signing key (SPKI PEM), a new MQTT secret, or both.</summary>
public sealed record GatewayRotateRequest(
    [property: JsonPropertyName("publicKeyPem")] string? PublicKeyPem,
    [property: JsonPropertyName("newSecret")] bool NewSecret);

/// <summary>The gateway after a rotation; <see cref="Password"/> is the new MQTT secret when one was asked for (shown once).</summary>
public sealed record GatewayRotatedBody(
    [property: JsonPropertyName("gateway")] GatewayStateBody Gateway,
    [property: JsonPropertyName("password")] string? Password);

public sealed record GatewayRevokeRequest(
    [property: JsonPropertyName("reason")] string? Reason);

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Storage;

namespace Provenance.Ingestion.Internal;

/// <summary>
/// Registered gateways with their imported public keys and their sites, cached for a short time so that a gateway
/// added or revoked through the CLI or API takes effect within <see cref="Ttl"/>. Thread-safe.
/// </summary>
internal sealed class GatewayDirectory(RegistryStore registry, TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(GatewayRegistration? Gateway, ECDsa? Key, Site? Site, DateTimeOffset LoadedAt);

    public Entry Find(string gatewayId)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(gatewayId, out var cached) && now - cached.LoadedAt < Ttl)
        {
            return cached;
        }

        var gateway = registry.FindGateway(gatewayId);
        var entry = gateway is null
            ? new Entry(null, null, null, now)
            : new Entry(gateway, GatewayKeys.ImportPublicKeyPem(gateway.PublicKeyPem), registry.FindSite(gateway.SiteId), now);
        _entries[gatewayId] = entry;
        return entry;
    }
}

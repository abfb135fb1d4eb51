using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Provenance.Api.Http;

/// <summary>
/// The reverse proxies named in <see cref="ApiOptions.KnownProxies"/> and <see cref="ApiOptions.KnownNetworks"/>:
/// only their forwarded headers are believed (the client is the right-most hop that is not one of them), and only they
/// may hold more connections than one client. Immutable and thread-safe.
/// </summary>
public sealed class TrustedProxies
{
    private readonly IReadOnlyList<IPAddress> _proxies;
    private readonly IReadOnlyList<IPNetwork> _networks;

    public TrustedProxies(ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _proxies = [.. options.KnownProxies.Select(p => IPAddress.Parse(p.Trim())).Select(Normalise)];
        _networks = [.. options.KnownNetworks.Select(n => IPNetwork.Parse(n.Trim()))];
    }

    /// <summary>True when forwarded headers are believed from anyone at all.</summary>
    public bool Any => _proxies.Count > 0 || _networks.Count > 0;

    /// <summary>The error for a list entry that does not parse, or null when all do (for start-up validation).</summary>
    public static string? Validate(ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrustForwardedFor is not null)
        {
            return "Api:TrustForwardedFor was replaced: list your reverse proxies in Api:KnownProxies (addresses) or Api:KnownNetworks (CIDR, e.g. 10.0.0.0/8)";
        }

        var badProxy = options.KnownProxies.FirstOrDefault(p => !IPAddress.TryParse(p?.Trim(), out _));
        if (badProxy is not null)
        {
            return $"Api:KnownProxies entry '{badProxy}' is not an IP address";
        }

        var badNetwork = options.KnownNetworks.FirstOrDefault(n => !IPNetwork.TryParse(n?.Trim(), out _));
        return badNetwork is null ? null : $"Api:KnownNetworks entry '{badNetwork}' is not a network in CIDR notation (e.g. 10.0.0.0/8)";
    }

    public bool IsProxy(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        address = Normalise(address);
        return _proxies.Contains(address) || _networks.Any(n => n.Contains(address));
    }

    /// <summary>Sets up ASP.NET Core's forwarded-headers middleware with exactly these proxies (none of its defaults).</summary>
    public void Configure(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in _proxies)
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in _networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        // Walk X-Forwarded-For from the right as long as the hop is a known proxy: the client is the first one that is not.
        options.ForwardLimit = null;
        options.RequireHeaderSymmetry = false;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

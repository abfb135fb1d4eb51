using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MaxMind.Db;
using Microsoft.Extensions.Options;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Geo;

/// <summary>
/// Maps a public IP address to a coarse location with an offline MMDB database. Loopback, private, link-local and
/// other non-public addresses map to nothing. The address itself is never stored. Thread-safe (the reader is).
/// </summary>
public sealed class IpLocator : IDisposable
{
    private readonly Reader? _reader;

    public IpLocator(IOptions<GeoOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.MmdbPath;
        _reader = string.IsNullOrWhiteSpace(path) ? null : new Reader(path, FileAccessMode.MemoryMapped);
    }

    /// <summary>True when a database is loaded.</summary>
    public bool Enabled => _reader is not null;

    /// <summary>The coarse location of <paramref name="address"/>, or null.</summary>
    public ScanLocation? Locate(IPAddress? address)
    {
        if (_reader is null || address is null || !IsPublic(address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Dictionary<string, object>? data;
        try
        {
            data = _reader.Find<Dictionary<string, object>>(address);
        }
        catch (ArgumentException)
        {
            return null; // an IPv6 address against an IPv4-only database
        }

        return data is null ? null : FromRecord(data);
    }

    /// <summary>Reads both the MaxMind schema (country.iso_code, location.latitude) and the flat one (country_code, latitude).</summary>
    private static ScanLocation? FromRecord(Dictionary<string, object> data)
    {
        var country = Text(Child(data, "country"), "iso_code") ?? Text(data, "country_code");
        var subdivision = Child(data, "subdivisions") is null && data.TryGetValue("subdivisions", out var subs) && subs is IList<object> { Count: > 0 } list && list[0] is Dictionary<string, object> first
            ? Text(first, "iso_code")
            : null;
        var location = Child(data, "location") ?? data;
        var lat = Number(location, "latitude");
        var lon = Number(location, "longitude");
        var radiusKm = Number(location, "accuracy_radius");
        GeoPoint? point = lat is { } la && lon is { } lo && la is >= -90 and <= 90 && lo is >= -180 and <= 180 ? new GeoPoint(la, lo) : null;
        if (country is null && point is null)
        {
            return null;
        }

        return new ScanLocation(LocationSource.Ip, point, point is null ? null : (radiusKm ?? 50) * 1000, country, subdivision is null || country is null ? null : $"{country}-{subdivision}");
    }

    private static Dictionary<string, object>? Child(Dictionary<string, object> data, string key) =>
        data.TryGetValue(key, out var value) ? value as Dictionary<string, object> : null;

    private static string? Text(Dictionary<string, object>? data, string key) =>
        data is not null && data.TryGetValue(key, out var value) && value is string s && s.Length > 0 ? s : null;

    private static double? Number(Dictionary<string, object> data, string key) =>
        data.TryGetValue(key, out var value) ? value switch
        {
            double d => d,
            float f => f,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => null,
        } : null;

    /// <summary>False for loopback, private (RFC 1918, ULA), link-local, CGNAT and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] == 0 || b[0] >= 224);
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
    }

    public void Dispose() => _reader?.Dispose();
}

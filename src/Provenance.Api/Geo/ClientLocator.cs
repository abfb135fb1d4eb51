using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Geo;

/// <summary>
/// Works out who and where a public client is: the client address (the connection's peer, or the right-most
/// untrusted <c>X-Forwarded-For</c> hop when the request came through a configured proxy — ASP.NET Core's
/// forwarded-headers middleware has already put it in <see cref="ConnectionInfo.RemoteIpAddress"/>), and the scan
/// location — the browser's <c>lat</c>, <c>lon</c>, <c>acc</c> query parameters when given, else the IP region, else
/// none. Thread-safe.
/// </summary>
public sealed class ClientLocator(IpLocator ip)
{
    /// <summary>The client's address as far as it can be trusted.</summary>
    public static IPAddress? ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress;
    }

    /// <summary>The scan's location: browser, else IP, else none.</summary>
    public ScanLocation Locate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FromQuery(context.Request.Query) ?? ip.Locate(ClientAddress(context)) ?? ScanLocation.None;
    }

    /// <summary>A browser location from <c>lat</c>, <c>lon</c> and optional <c>acc</c> (metres); null when absent or out of range.</summary>
    public static ScanLocation? FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryNumber(query["lat"], out var lat) || !TryNumber(query["lon"], out var lon) || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            return null;
        }

        double? acc = TryNumber(query["acc"], out var a) && a >= 0 ? a : null;
        return new ScanLocation(LocationSource.Browser, new GeoPoint(lat, lon), acc);
    }

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Geo;

/// <summary>
/// Works out who and where a public client is: the client address (the first <c>X-Forwarded-For</c> entry only when
/// <see cref="ApiOptions.TrustForwardedFor"/> is set), and the scan location — the browser's <c>lat</c>, <c>lon</c>,
/// <c>acc</c> query parameters when given, else the IP region, else none. Thread-safe.
/// </summary>
public sealed class ClientLocator(IpLocator ip, IOptions<ApiOptions> options)
{
    /// <summary>The client's address as far as it can be trusted.</summary>
    public IPAddress? ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options.Value.TrustForwardedFor)
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var first = forwarded.Split(',', 2)[0].Trim();
            if (first.Length > 0 && IPAddress.TryParse(first, out var address))
            {
                return address;
            }
        }

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

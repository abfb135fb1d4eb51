using System.Globalization;
using Microsoft.AspNetCore.Http;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Distribution;

/// <summary>
/// Where a warehouse receipt was taken, from <c>lat</c>, <c>lon</c>, <c>acc</c> and <c>country</c>. Unlike a consumer's
/// scan, a bad value is refused (the distributor's software can fix it) instead of being dropped. A declared point is
/// never vouched for by the distributor's default country: only an explicit <c>country</c> goes with it.
/// </summary>
public static class ReceiptPlace
{
    /// <summary>The receipt's location, or an error message that says what to fix.</summary>
    public static ScanLocation? Parse(IQueryCollection query, string? defaultCountry, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        string? country = null;
        if (query.ContainsKey("country"))
        {
            var c = query["country"].ToString();
            if (c.Length != 2 || !c.All(char.IsAsciiLetter))
            {
                error = "country is an ISO 3166-1 alpha-2 code such as CN";
                return null;
            }

            country = c.ToUpperInvariant();
        }

        if (!query.ContainsKey("lat") && !query.ContainsKey("lon"))
        {
            return new ScanLocation(LocationSource.Distributor, Country: country ?? defaultCountry);
        }

        if (!Number(query["lat"], out var lat) || !Number(query["lon"], out var lon) || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            error = "lat and lon go together, in decimal degrees: lat from -90 to 90, lon from -180 to 180";
            return null;
        }

        double? acc = null;
        if (query.ContainsKey("acc"))
        {
            if (!Number(query["acc"], out var a) || a < 0)
            {
                error = "acc is the uncertainty in metres, zero or more";
                return null;
            }

            acc = a;
        }

        return new ScanLocation(LocationSource.Distributor, new GeoPoint(lat, lon), acc, country);
    }

    /// <summary>The place as alerts show it.</summary>
    public static object Describe(ScanLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new { lat = location.Point?.Latitude, lon = location.Point?.Longitude, country = location.Country };
    }

    private static bool Number(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

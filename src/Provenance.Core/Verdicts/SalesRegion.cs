using Provenance.Core.Geo;

namespace Provenance.Core.Verdicts;

/// <summary>
/// A distributor's sales region: polygons (the primary, exact form) and/or ISO 3166 codes (alpha-2 countries such as
/// <c>CN</c>, or 3166-2 subdivisions such as <c>CN-GD</c>, Guangdong; <c>CN-GZ</c> is Guizhou). Codes are matched only against a location's own codes
/// (from the IP database or declared by a distributor): there is no offline point-to-country map, so a browser point
/// is judged against polygons only. Immutable.
/// </summary>
public sealed class SalesRegion
{
    /// <summary>Creates a region; at least one polygon or code is required.</summary>
    public SalesRegion(IEnumerable<PolygonGeofence>? polygons, IEnumerable<string>? isoCodes)
    {
        Polygons = [.. polygons ?? []];
        IsoCodes = [.. (isoCodes ?? []).Select(c => c.Trim().ToUpperInvariant())];
        if (Polygons.Count == 0 && IsoCodes.Count == 0)
        {
            throw new ArgumentException("A sales region needs at least one polygon or ISO 3166 code.");
        }
    }

    /// <summary>The polygons.</summary>
    public IReadOnlyList<PolygonGeofence> Polygons { get; }

    /// <summary>The ISO codes, upper case.</summary>
    public IReadOnlyList<string> IsoCodes { get; }

    /// <summary>True inside, false outside, null when the location says too little to tell.</summary>
    public bool? Contains(ScanLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Point is { } point && Polygons.Any(p => p.Contains(point)))
        {
            return true;
        }

        if (IsoCodes.Count > 0 && location.Country is not null)
        {
            var country = location.Country.ToUpperInvariant();
            var subdivision = location.Subdivision?.ToUpperInvariant();
            if (IsoCodes.Any(c => c == country || (subdivision is not null && c == subdivision)))
            {
                return true;
            }

            // A subdivision code cannot be refuted by a country alone, unless the country differs.
            var onlySubdivisionsOfThisCountry = IsoCodes.All(c => c.Length > 2) && subdivision is null && IsoCodes.Any(c => c.StartsWith(country + "-", StringComparison.Ordinal));
            return onlySubdivisionsOfThisCountry ? null : false;
        }

        if (location.Point is not null && Polygons.Count > 0)
        {
            return false;
        }

        return null;
    }
}

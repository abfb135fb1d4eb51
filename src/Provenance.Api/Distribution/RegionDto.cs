using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Api.Distribution;

/// <summary>
/// A sales region on the wire: ISO 3166-1 country codes (<c>"CN"</c>) and/or polygons, each a list of
/// <c>[lat, lon]</c> pairs. Polygons are exact; country codes can only be matched against an IP-derived or declared
/// country, because no offline point-to-country map ships with the product. New regions refuse ISO 3166-2
/// subdivision codes (<see cref="UnmatchableCodes"/>): nothing here could ever place a scan in a province, so such a
/// region would silently let every diverted bottle through. Regions stored before that rule still load.
/// </summary>
public sealed record RegionDto(
    [property: JsonPropertyName("iso")] IReadOnlyList<string>? Iso,
    [property: JsonPropertyName("polygons")] IReadOnlyList<IReadOnlyList<double[]>>? Polygons)
{
    /// <summary>Checks the shape and builds the engine's region; returns an error message instead when invalid.</summary>
    public SalesRegion? TryBuild(out string? error)
    {
        error = null;
        try
        {
            var polygons = (Polygons ?? []).Select(p => new PolygonGeofence((p ?? throw new ArgumentException("each polygon is a list of [lat, lon] vertices"))
                .Select(v => v is { Length: 2 } ? new GeoPoint(v[0], v[1]) : throw new ArgumentException("each vertex is [lat, lon]"))));
            var iso = Iso ?? [];
            if (iso.Any(c => c is null || !IsIsoCode(c)))
            {
                error = "iso codes are ISO 3166-1 alpha-2 country codes such as CN";
                return null;
            }

            return new SalesRegion(polygons.ToList(), iso);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>
    /// Null when every code can be matched; otherwise the reason a new region is refused: ISO 3166-2 subdivision codes
    /// are matched neither against a GPS point nor against the offline IP data (which knows countries only).
    /// </summary>
    public string? UnmatchableCodes()
    {
        var subdivisions = (Iso ?? []).Where(c => c is { Length: > 2 }).ToList();
        return subdivisions.Count == 0 ? null
            : $"{string.Join(", ", subdivisions)}: ISO 3166-2 province codes cannot be matched against a GPS point or the offline IP data (it knows countries only), " +
              "so scans anywhere would pass; give the province as polygons of [lat, lon] vertices, or the whole country as its two-letter code";
    }

    /// <summary>A short human description: the ISO codes and how many polygons.</summary>
    public IReadOnlyList<string> Summary() =>
        [.. Iso ?? [], .. (Polygons ?? []).Select((_, i) => $"polygon-{i + 1}")];

    public string ToJson() => JsonSerializer.Serialize(this);

    public static RegionDto FromJson(string json) => JsonSerializer.Deserialize<RegionDto>(json) ?? new RegionDto(null, null);

    private static bool IsIsoCode(string code) =>
        code.Length == 2 ? code.All(char.IsAsciiLetter)
        : code.Length is >= 4 and <= 6 && code[2] == '-' && code[..2].All(char.IsAsciiLetter) && code[3..].All(char.IsAsciiLetterOrDigit);
}

using System.Globalization;
using System.Text.Json;
using Provenance.Storage;

namespace Provenance.Api.Analytics;

/// <summary>
/// Scans per day and region as a GeoJSON FeatureCollection (RFC 7946): one Polygon feature per grid cell, local day
/// and country holding at least <see cref="AnalyticsOptions.MinimumGroupSize"/> consumer scans, with the count per
/// verdict. Smaller groups are dropped and counted in <c>suppressedScans</c>. Days are local days of the requested time
/// zone, assembled from whole UTC hours.
/// </summary>
public static class ScanHeatMap
{
    public static byte[] Render(IReadOnlyList<ScanCellCount> counts, ScanHeatMapRequest request, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var groups = counts
            .GroupBy(c => (Day: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.HourUtc, request.Zone).DateTime), c.Row, c.Column, c.Country))
            .Select(g => (g.Key, Total: g.Sum(c => c.Count), Verdicts: g.GroupBy(c => c.Verdict).ToDictionary(v => v.Key, v => v.Sum(c => c.Count), StringComparer.Ordinal)))
            .Where(g => g.Key.Day >= request.From && g.Key.Day <= request.To)
            .ToList();
        var shown = groups.Where(g => g.Total >= options.MinimumGroupSize).OrderBy(g => g.Key.Day).ThenByDescending(g => g.Total).ToList();

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteString("from", request.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("to", request.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("timeZone", request.Zone.Id);
            json.WriteNumber("cellDegrees", options.CellDegrees);
            json.WriteNumber("minimumGroupSize", options.MinimumGroupSize);
            json.WriteNumber("shownScans", shown.Sum(g => g.Total));
            json.WriteNumber("suppressedScans", groups.Sum(g => g.Total) - shown.Sum(g => g.Total));
            json.WriteStartArray("features");
            foreach (var (key, total, verdicts) in shown)
            {
                WriteFeature(json, key.Day, key.Row, key.Column, key.Country, total, verdicts, options.CellDegrees);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteFeature(Utf8JsonWriter json, DateOnly day, int row, int column, string? country, long total, Dictionary<string, long> verdicts, double size)
    {
        double south = Math.Round(row * size, 6), north = Math.Round((row + 1) * size, 6);
        double west = Math.Round(column * size, 6), east = Math.Round((column + 1) * size, 6);
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteStartObject("geometry");
        json.WriteString("type", "Polygon");
        json.WriteStartArray("coordinates");
        json.WriteStartArray();
        // Exterior ring, counter-clockwise (RFC 7946 §3.1.6), longitude first.
        foreach (var (lon, lat) in new[] { (west, south), (east, south), (east, north), (west, north), (west, south) })
        {
            json.WriteStartArray();
            json.WriteNumberValue(lon);
            json.WriteNumberValue(lat);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (country is not null)
        {
            json.WriteString("country", country);
        }

        json.WriteNumber("scans", total);
        json.WriteStartObject("verdicts");
        foreach (var (verdict, count) in verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(verdict, count);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

using System.Globalization;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary><c>provenance sites add</c>: registers a bottling plant and its geofence.</summary>
internal static class SitesAddVerb
{
    public static CliVerb Create() => new(
        ["sites", "add"],
        "Register a site (bottling plant) with a circular or polygon geofence.",
        [
            new CliOption("id", "Site id (a-z, 0-9, '-', '_').", Required: true),
            new CliOption("name", "Display name.", Required: true),
            new CliOption("lat", "Latitude of the site's reference point (decimal degrees).", Required: true),
            new CliOption("lon", "Longitude of the site's reference point (decimal degrees).", Required: true),
            new CliOption("radius", "Geofence radius in metres (unless --polygon).", "250"),
            new CliOption("polygon", "Geofence polygon: 'lat,lon;lat,lon;lat,lon[;...]' (at least 3 points)."),
            DataOption.Option,
        ],
        Run);

    private static Task<int> Run(CliArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequireIdentifier("id");

        var lat = args.GetDouble("lat");
        var lon = args.GetDouble("lon");
        if (lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            throw new CliUsageException("--lat must be within -90..90 and --lon within -180..180.");
        }

        var polygon = args.Get("polygon") is { } text ? ParsePolygon(text) : null;
        var radius = polygon is null ? args.GetDouble("radius") : (double?)null;
        if (radius is <= 0)
        {
            throw new CliUsageException("--radius must be positive.");
        }

        var site = new Site(id, args.Require("name"), new GeoPoint(lat, lon), radius, polygon);
        try
        {
            new RegistryStore(DataOption.Open(args)).AddSite(site);
        }
        catch (RegistryConflictException e)
        {
            args.Error.WriteLine($"provenance sites add: {e.Message}");
            return Task.FromResult(1);
        }

        args.Out.WriteLine(polygon is null
            ? string.Create(CultureInfo.InvariantCulture, $"site {id} added: {lat}, {lon}, radius {radius} m")
            : string.Create(CultureInfo.InvariantCulture, $"site {id} added: {lat}, {lon}, polygon of {polygon.Count} points"));
        return Task.FromResult(0);
    }

    private static List<GeoPoint> ParsePolygon(string text)
    {
        var points = new List<GeoPoint>();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(',');
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var plat)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var plon))
            {
                throw new CliUsageException($"--polygon point '{pair}' is not 'lat,lon'.");
            }

            points.Add(new GeoPoint(plat, plon));
        }

        return points.Count >= 3 ? points : throw new CliUsageException("--polygon needs at least 3 points.");
    }
}

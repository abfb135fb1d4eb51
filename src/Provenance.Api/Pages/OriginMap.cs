using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Provenance.Api.Pages.Text;
using Provenance.Core.Geo;

namespace Provenance.Api.Pages;

/// <summary>
/// A small map drawn locally as inline SVG (no tiles from anywhere): the site's geofence (circle or polygon)
/// around its centre, the sealing fix, a scale bar and a north arrow. Positions are projected onto a local
/// plane (equirectangular about the site's centre), which is exact enough over a few kilometres.
/// </summary>
internal static class OriginMap
{
    private const double Width = 320;
    private const double Height = 200;
    private const double MetresPerDegreeLatitude = 111_320;

    public static void Render(StringBuilder sb, GeoPoint centre, double? radiusMetres, IReadOnlyList<GeoPoint>? polygon, GeoPoint? fix, PageText text)
    {
        var h = HtmlEncoder.Default;
        var cosLat = Math.Cos(centre.Latitude * Math.PI / 180);
        (double X, double Y) Metres(GeoPoint p) =>
            ((p.Longitude - centre.Longitude) * MetresPerDegreeLatitude * cosLat, (p.Latitude - centre.Latitude) * MetresPerDegreeLatitude);

        var extent = Math.Max(radiusMetres ?? 0, 25);
        foreach (var p in polygon ?? [])
        {
            var (x, y) = Metres(p);
            extent = Math.Max(extent, Math.Max(Math.Abs(x), Math.Abs(y)));
        }

        if (fix is { } f)
        {
            var (x, y) = Metres(f);
            extent = Math.Max(extent, Math.Max(Math.Abs(x), Math.Abs(y)));
        }

        var scale = ((Height / 2) - 14) / (extent * 1.1);
        string X(double metres) => F((Width / 2) + (metres * scale));
        string Y(double metres) => F((Height / 2) - (metres * scale));

        sb.Append("<figure class=\"map\"><svg id=\"origin-map\" viewBox=\"0 0 320 200\" role=\"img\" aria-label=\"").Append(h.Encode(text["origin.map"]))
          .Append("\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"320\" height=\"200\" fill=\"#eef3ee\"/>")
          .Append("<g stroke=\"#d5ddd5\" stroke-width=\"1\"><line x1=\"160\" y1=\"0\" x2=\"160\" y2=\"200\"/><line x1=\"0\" y1=\"100\" x2=\"320\" y2=\"100\"/></g>");
        if (polygon is { Count: > 2 })
        {
            sb.Append("<polygon class=\"geofence\" points=\"")
              .AppendJoin(' ', polygon.Select(p => { var (x, y) = Metres(p); return X(x) + "," + Y(y); }))
              .Append("\" fill=\"rgba(27,127,59,.15)\" stroke=\"#1b7f3b\" stroke-width=\"2\"/>");
        }
        else if (radiusMetres is { } r)
        {
            sb.Append("<circle class=\"geofence\" cx=\"160\" cy=\"100\" r=\"").Append(F(r * scale)).Append("\" fill=\"rgba(27,127,59,.15)\" stroke=\"#1b7f3b\" stroke-width=\"2\"/>");
        }

        sb.Append("<circle cx=\"160\" cy=\"100\" r=\"2.5\" fill=\"#1b7f3b\"/>");
        if (fix is { } point)
        {
            var (x, y) = Metres(point);
            sb.Append("<g class=\"fix\"><circle cx=\"").Append(X(x)).Append("\" cy=\"").Append(Y(y)).Append("\" r=\"6\" fill=\"#1a56db\" stroke=\"#fff\" stroke-width=\"2\"/></g>");
        }

        ScaleBar(sb, scale);
        sb.Append("<g font-size=\"11\" font-family=\"sans-serif\" fill=\"#333\" text-anchor=\"middle\"><path d=\"M300 30 L306 44 L300 40 L294 44 Z\" fill=\"#333\"/><text x=\"300\" y=\"24\">N</text></g>")
          .Append("</svg><figcaption><span class=\"key geofence-key\"></span>").Append(h.Encode(text["origin.map.geofence"]));
        if (fix is not null)
        {
            sb.Append(" <span class=\"key fix-key\"></span>").Append(h.Encode(text["origin.map.fix"]));
        }

        sb.Append("</figcaption></figure>");
    }

    /// <summary>A bar of a round length (1, 2 or 5 × 10ⁿ metres) about a quarter of the map wide.</summary>
    private static void ScaleBar(StringBuilder sb, double pixelsPerMetre)
    {
        var target = (Width / 4) / pixelsPerMetre;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(target)));
        var metres = new[] { 5, 2, 1 }.Select(m => m * magnitude).First(m => m <= target);
        var pixels = metres * pixelsPerMetre;
        var label = metres >= 1000 ? F(metres / 1000) + " km" : F(metres) + " m";
        sb.Append("<g id=\"scale-bar\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#333\"><rect x=\"12\" y=\"182\" width=\"").Append(F(pixels))
          .Append("\" height=\"4\" fill=\"#333\"/><text x=\"12\" y=\"176\">").Append(label).Append("</text></g>");
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

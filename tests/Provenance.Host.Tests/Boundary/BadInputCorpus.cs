using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// Hostile requests for every mapped route: route values that are junk, query strings that are junk, and bodies that are
/// malformed, truncated, too deep, of the wrong type, of the wrong media type or charset, random bytes, or well-formed
/// objects with every known field set to every awkward value. Deterministic (fixed seed).
/// </summary>
public static class BadInputCorpus
{
    private const int RandomBodiesPerRoute = 24;

    private static readonly string[] RouteJunk =
    [
        "x", "-1", "0", "99999999999999999999999", "%00", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", new string('a', 2000), "%E0%A4%A", "null", "%20",
    ];

    private static readonly string[] QueryJunk =
    [
        "?limit=-5&cursor=zz&since=not-a-date&kind=%00&gtin=x", "?format=csv&limit=2147483648&cursor=-1", "?lat=NaN&lon=1e999&acc=-1&country=%FF",
        "?moduleSize=-99999", "?moduleSize=2147483648", "?k=999999999999&m=" + new string('A', 5000), "?since=9999-99-99T99:99:99Z",
    ];

    /// <summary>Every field name any endpoint reads.</summary>
    private static readonly string[] Fields =
    [
        "id", "name", "country", "region", "iso", "polygons", "code", "tags", "cases", "distributorId", "gtin", "lot", "reason", "source", "at",
        "publicKeyPem", "siteId", "lat", "lon", "radiusM", "polygon", "count", "role", "key",
        "payload", "responseTimeoutInSeconds", "body", "properties", "publishIntervalSeconds", "lineIds",
    ];

    private static readonly string[] Awkward =
    [
        "null", "0", "-1", "1e308", "-1e308", "2147483648", "\"\"", "\"" + new string('x', 100_000) + "\"", "[]", "{}", "[null]", "[[null]]", "[[[1]]]", "true",
        "\"2026-99-99\"", "\"\\u0000\"", "\"\\ud800\"", "[\"" + new string('y', 1000) + "\"]", "{\"polygons\":[[[1,2],[3],null]],\"iso\":[null,\"ZZZZ\"]}",
        "[[1,2],[3],null]", "\"https://id.example.com/01/09506000134352/21/X?k=1&m=AAAA\"",
    ];

    /// <summary>Concrete paths for a route pattern: its parameters filled with junk (and for the scan route, junk codes).</summary>
    public static IEnumerable<string> Paths(RoutePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Parameters.Count == 0)
        {
            yield return "/" + pattern.RawText!.Trim('/');
            yield break;
        }

        foreach (var junk in RouteJunk)
        {
            var path = new StringBuilder();
            foreach (var segment in pattern.PathSegments)
            {
                path.Append('/');
                foreach (var part in segment.Parts)
                {
                    path.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternParameterPart { IsCatchAll: true } => "01/" + junk + "/21/" + junk,
                        RoutePatternParameterPart => junk,
                        RoutePatternSeparatorPart separator => separator.Content,
                        _ => string.Empty,
                    });
                }
            }

            yield return path.ToString();
        }
    }

    public static IEnumerable<string> Queries() => QueryJunk;

    /// <summary>Bodies as (content type or null, bytes); <paramref name="full"/> adds every field × awkward value and random bytes.</summary>
    public static IEnumerable<(string? ContentType, byte[] Body)> Bodies(int seed, bool full)
    {
        const string Json = "application/json";
        string[] texts =
        [
            string.Empty, "{}", "[]", "null", "\"s\"", "0", "1e400", "{", "{\"tags\":", "{\"tags\":[null]}", "{\"tags\":[null],\"source\":\"nfc\"}", "{\"tags\":null}",
            new string('[', 200) + new string(']', 200), "{\"a\":" + new string('{', 100) + new string('}', 100) + "}", "{\"tags\":[\"\"],\"source\":\"retailer\",\"at\":\"yesterday\"}",
            "{\"role\":\"distributor\",\"distributorId\":\"nobody\"}", "{\"role\":\"root\"}", "{\"gtin\":\"09506000134352\",\"count\":-1}",
            "{\"id\":\"x\",\"name\":\"y\",\"lat\":91,\"lon\":0,\"radiusM\":1}", "{\"id\":\"x\",\"name\":\"y\",\"lat\":1,\"lon\":1,\"polygon\":[[1],[2],[3]]}",
            "{\"id\":\"x\",\"name\":\"y\",\"region\":{\"polygons\":[null,[null]]}}", "{\"id\":\"gw\",\"siteId\":\"plant-1\",\"publicKeyPem\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"}",
            "{\"code\":\"https://id.example.com/00/000000000000000000\",\"tags\":[\"x\"]}", "{\"distributorId\":\"dist-a\",\"lot\":\"L1\"}",
        ];
        foreach (var text in texts)
        {
            yield return (Json, Encoding.UTF8.GetBytes(text));
        }

        foreach (var field in full ? Fields : [])
        {
            foreach (var value in Awkward)
            {
                yield return (Json, Encoding.UTF8.GetBytes($"{{\"{field}\":{value}}}"));
            }
        }

        yield return (Json, [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']);
        yield return (Json, [0xFF, 0xFE, 0x00, 0xC3, 0x28, (byte)'{']);
        yield return ("application/json; charset=bogus", "{}"u8.ToArray());
        yield return ("application/json; charset=utf-16", Encoding.Unicode.GetBytes("{}"));
        yield return ("text/plain", "https://id.example.com/01/09506000134352/21/X?k=1&m=AA\n\n,,,\n"u8.ToArray());
        yield return ("text/plain; charset=bogus", "x"u8.ToArray());
        yield return ("application/xml", "<a/>"u8.ToArray());
        yield return ("multipart/form-data", "--x\r\n"u8.ToArray());
        yield return ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nv\r\n"u8.ToArray());
        yield return ("application/x-www-form-urlencoded", Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}=1"))));
        yield return ("application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("key=" + new string('k', 100_000)));
        yield return ("application/x-www-form-urlencoded", "%%%=%%%&key"u8.ToArray());
        yield return (";;;", "{}"u8.ToArray());
        yield return (null, "{}"u8.ToArray());
        var random = new Random(seed);
        for (var i = 0; i < (full ? RandomBodiesPerRoute : 0); i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            yield return (i % 2 == 0 ? Json : "application/x-www-form-urlencoded", bytes);
        }
    }
}

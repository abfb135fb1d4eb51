using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Provenance.Api.Pages;

/// <summary>
/// The page scripts, embedded in this assembly (<c>Pages/Assets/*.js</c>) and served from <c>/assets/{name}</c>, so
/// the CSP can stay at <c>script-src 'self'</c> and nothing is fetched from elsewhere. Loaded once; thread-safe.
/// </summary>
public static class PageAssets
{
    public const string PathPrefix = "/assets/";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string ETag)> Assets = Load();

    /// <summary>The names of the embedded assets (e.g. <c>scan.js</c>).</summary>
    public static IEnumerable<string> Names => Assets.Keys;

    internal static IResult Serve(HttpContext context, string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=60";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Bytes, "text/javascript; charset=utf-8");
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            assets[resource["assets/".Length..]] = (bytes, new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"").ToString());
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

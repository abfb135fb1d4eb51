using System.Text;

namespace Provenance.Core.Codes;

/// <summary>
/// A GS1 Digital Link URI: <c>{scheme}://{authority}[/prefix]/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]?{attributes}</c>
/// or <c>/00/{sscc}</c> for logistic units. Parsing enforces the standard's rules: valid check digits, key qualifiers
/// in order, each AI once, no unknown AIs, no AI outside its place, CSET 82 values within their lengths. Immutable.
/// </summary>
public sealed record DigitalLink
{
    public string Scheme { get; init; } = "https";

    /// <summary>Host and optional port, e.g. <c>id.example.com</c> or <c>127.0.0.1:8080</c>.</summary>
    public required string Authority { get; init; }

    /// <summary>Path segments before the primary key (a resolver's own prefix), without slashes at the ends; usually empty.</summary>
    public string PathPrefix { get; init; } = string.Empty;

    public Gtin? Gtin { get; init; }

    /// <summary>The 18-digit SSCC of a logistic unit (AI 00), for case codes.</summary>
    public string? Sscc { get; init; }

    /// <summary>Consumer product variant (AI 22).</summary>
    public string? Cpv { get; init; }

    public string? Lot { get; init; }

    public string? Serial { get; init; }

    /// <summary>Query attributes in their order: GS1 data attributes (numeric keys) and others such as <c>k</c> and <c>m</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>
    /// The canonical element path, e.g. <c>/01/09506000134352/10/L1/21/ABC</c>: GTIN as 14 digits, qualifiers in order,
    /// values percent-encoded. This is what the code MAC covers; the host and the query are not part of it.
    /// </summary>
    public string CanonicalPath
    {
        get
        {
            var sb = new StringBuilder(64);
            if (Sscc is not null)
            {
                return sb.Append("/00/").Append(Sscc).ToString();
            }

            sb.Append("/01/").Append(Gtin?.Value);
            Append(sb, ApplicationIdentifiers.Cpv, Cpv);
            Append(sb, ApplicationIdentifiers.Lot, Lot);
            Append(sb, ApplicationIdentifiers.Serial, Serial);
            return sb.ToString();
        }
    }

    public string? Attribute(string key) => Attributes.FirstOrDefault(a => a.Key == key).Value;

    /// <summary>The URI, with the canonical path and the attributes in order.</summary>
    public string ToUri()
    {
        var sb = new StringBuilder(128).Append(Scheme).Append("://").Append(Authority);
        if (PathPrefix.Length > 0)
        {
            sb.Append('/').Append(PathPrefix);
        }

        sb.Append(CanonicalPath);
        for (var i = 0; i < Attributes.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(DigitalLinkEscaping.Encode(Attributes[i].Key)).Append('=').Append(DigitalLinkEscaping.Encode(Attributes[i].Value));
        }

        return sb.ToString();
    }

    public override string ToString() => ToUri();

    /// <summary>A link for one bottle: GTIN, optional lot, serial.</summary>
    public static DigitalLink ForTag(string authority, Gtin gtin, string serial, string? lot = null, string scheme = "https")
    {
        if (!Codes.Serial.IsValid(serial))
        {
            throw new ArgumentException($"serial '{serial}' is not 1-20 CSET 82 characters", nameof(serial));
        }

        if (lot is not null && (lot.Length is 0 or > 20 || !Cset82.IsValid(lot)))
        {
            throw new ArgumentException($"lot '{lot}' is not 1-20 CSET 82 characters", nameof(lot));
        }

        return new DigitalLink { Scheme = scheme, Authority = authority, Gtin = gtin, Lot = lot, Serial = serial };
    }

    public static DigitalLink Parse(string uri) =>
        TryParse(uri, out var link, out var error) ? link! : throw new FormatException(error);

    /// <summary>Parses an absolute http(s) Digital Link URI; the error says which rule it breaks.</summary>
    public static bool TryParse(string? uri, out DigitalLink? link, out string? error)
    {
        link = null;
        if (string.IsNullOrEmpty(uri) || uri.Length > 2048)
        {
            error = "URI is empty or longer than 2048 characters";
            return false;
        }

        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? uri[..schemeEnd] : string.Empty;
        if (scheme is not ("https" or "http"))
        {
            error = "a Digital Link URI starts with https:// or http://";
            return false;
        }

        var rest = uri[(schemeEnd + 3)..];
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        if (pathStart <= 0)
        {
            error = "URI has no host or no path";
            return false;
        }

        return DigitalLinkParser.TryParsePathAndQuery(rest[pathStart..], scheme, rest[..pathStart], out link, out error);
    }

    /// <summary>Parses the path and query of a request (e.g. <c>/01/…/21/…?k=1&amp;m=…</c>) received on <paramref name="authority"/>.</summary>
    public static bool TryParsePath(string pathAndQuery, string authority, out DigitalLink? link, out string? error, string scheme = "https") =>
        DigitalLinkParser.TryParsePathAndQuery(pathAndQuery, scheme, authority, out link, out error);

    private static void Append(StringBuilder sb, string ai, string? value)
    {
        if (value is not null)
        {
            sb.Append('/').Append(ai).Append('/').Append(DigitalLinkEscaping.Encode(value));
        }
    }
}

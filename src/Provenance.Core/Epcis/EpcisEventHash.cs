using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provenance.Core.Epcis.Internal;

namespace Provenance.Core.Epcis;

/// <summary>
/// The CBV 2.0 event hash (<c>ni:///sha-256;…?ver=CBV2.0</c>): a canonical "pre-hash" string of the event — fields
/// in the standard's order, list elements sorted, CBV short names expanded to URIs, EPC URNs turned into canonical
/// Digital Link URIs, times in UTC with milliseconds, extension fields as <c>{namespace}name=value</c> sorted at the
/// end; <c>eventID</c>, <c>recordTime</c>, <c>errorDeclaration</c> and <c>@context</c> left out — hashed with
/// SHA-256. The same event has the same id in every system that implements the algorithm; the tests cross-check ours
/// with epcis2.js. Pure and thread-safe.
/// </summary>
public static class EpcisEventHash
{
    /// <summary>Prefixes every EPCIS 2.0 document may use without declaring them (the standard context's own).</summary>
    public static readonly IReadOnlyDictionary<string, string> StandardPrefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["epcis"] = "https://ref.gs1.org/epcis/",
        ["cbv"] = "https://ref.gs1.org/cbv/",
        ["cbvmda"] = "urn:epcglobal:cbv:mda:",
        ["gs1"] = "https://gs1.org/voc/",
        ["rdfs"] = "http://www.w3.org/2000/01/rdf-schema#",
        ["owl"] = "http://www.w3.org/2002/07/owl#",
        ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
        ["dcterms"] = "http://purl.org/dc/terms/",
    };

    /// <summary>The event id: the SHA-256 of the pre-hash string as a <c>ni:</c> URI.</summary>
    public static string Compute(JsonObject @event, IReadOnlyDictionary<string, string>? prefixes = null) =>
        "ni:///sha-256;" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PreHashString(@event, prefixes)))) + "?ver=CBV2.0";

    /// <summary>The canonical pre-hash string of an event (what <see cref="Compute"/> hashes).</summary>
    public static string PreHashString(JsonObject @event, IReadOnlyDictionary<string, string>? prefixes = null)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var context = new Dictionary<string, string>(StandardPrefixes, StringComparer.Ordinal);
        foreach (var (prefix, ns) in prefixes ?? new Dictionary<string, string>())
        {
            context[prefix] = ns;
        }

        var (text, custom) = PreHashOrder.Ordered(@event, context, PreHashOrder.Event, nested: false);
        return text + PreHashOrder.Sorted(custom);
    }

    /// <summary>The value as the pre-hash string writes it (after trimming, time and EPC normalisation).</summary>
    internal static string Field(string name, JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>().Trim();
            s = NormaliseTime(s);
            s = NormaliseEpc(s);
            return name + "=" + TruncateZeros(s);
        }

        return name + "=" + Scalar(value);
    }

    /// <summary>Numbers and booleans as JavaScript prints them (the algorithm's reference implementations do).</summary>
    internal static string Scalar(JsonNode? value)
    {
        if (value is not JsonValue v)
        {
            return value?.ToJsonString() ?? "null";
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal),
            JsonValueKind.String => v.GetValue<string>(),
            _ => "null",
        };
    }

    private static string NormaliseTime(string s)
    {
        // Times: any ISO 8601 date-time becomes UTC with exactly three fractional digits.
        if (s.Length <= 17 || s.Length > 40 || !char.IsAsciiDigit(s[0]) || s.IndexOf('T', StringComparison.Ordinal) != 10)
        {
            return s;
        }

        var styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out var t))
        {
            return s;
        }

        var utc = t.UtcDateTime;
        utc = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private static string NormaliseEpc(string s)
    {
        if (!s.Contains('.', StringComparison.Ordinal))
        {
            return s;
        }

        if (s.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            return EpcUrn.ToDigitalLink(s) ?? s;
        }

        if (s.StartsWith("http", StringComparison.Ordinal) && !s.StartsWith(Epc.CanonicalHost + "/", StringComparison.Ordinal)
            && Epc.TryParse(s, out var epc, out _))
        {
            return epc!.Uri;
        }

        return s;
    }

    /// <summary>Purely numeric strings lose leading zeros and trailing fractional zeros, as the reference implementation does.</summary>
    private static string TruncateZeros(string s)
    {
        if (s.Length == 0 || !s.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return s;
        }

        while (s.StartsWith('0') && s.Length > 2)
        {
            s = s[1..];
        }

        while (s.EndsWith('0') && s.Contains('.', StringComparison.Ordinal) && s.Length > 3)
        {
            s = s[..^1];
        }

        return s.EndsWith('.') ? s[..^1] : s;
    }
}

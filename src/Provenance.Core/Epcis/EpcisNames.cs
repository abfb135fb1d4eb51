namespace Provenance.Core.Epcis;

/// <summary>
/// The identifiers this product writes into EPCIS events for its own things — sites, lines, gateways, the producer,
/// distributors, shipments — as HTTP URIs on the producer's resolver domain, and the namespace of its extension fields
/// (prefix <see cref="Prefix"/>, namespace <see cref="Namespace"/>, the same on every node and in every version so that
/// an event's hash never depends on configuration). Path words avoid GS1 key names so that the event hash never mistakes them for Digital
/// Link URIs, and every URI ends in a word after the id: JavaScript's lenient <c>Date.parse</c>, which epcis2.js uses
/// to spot timestamps, reads <c>…/sites/plant-1</c> as 1 January 2001 and would hash it as a date. Immutable and
/// thread-safe.
/// </summary>
public sealed class EpcisNames
{
    public const string Prefix = "pv";

    /// <summary>The namespace of our extension fields: a name, not an address (the <c>.invalid</c> domain never resolves).</summary>
    public const string Namespace = "https://provenance.invalid/ns/epcis/";

    private static readonly IReadOnlyDictionary<string, string> OurPrefixes =
        new Dictionary<string, string>(StringComparer.Ordinal) { [Prefix] = Namespace }.AsReadOnly();

    public EpcisNames(string domain, string scheme = "https")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        Base = $"{scheme}://{domain}";
    }

    /// <summary>E.g. <c>https://id.example.com</c>.</summary>
    public string Base { get; }

    /// <summary>The prefixes our events use (<c>pv</c>): one shared read-only instance, asked for at least twice per event.</summary>
    public IReadOnlyDictionary<string, string> Prefixes => OurPrefixes;

    public string Producer => $"{Base}/producer/party";

    public string Site(string siteId) => $"{Base}/sites/{Uri.EscapeDataString(siteId)}/location";

    public string Line(string siteId, string line) => $"{Base}/sites/{Uri.EscapeDataString(siteId)}/lines/{Uri.EscapeDataString(line)}/location";

    public string Gateway(string gatewayId) => $"{Base}/gateways/{Uri.EscapeDataString(gatewayId)}/device";

    public string Distributor(string distributorId) => $"{Base}/distributors/{Uri.EscapeDataString(distributorId)}/party";

    public string Shipment(long shipmentId) => $"{Base}/shipments/{shipmentId}/despatch-advice";

    /// <summary>The distributor id a URI of <see cref="Distributor"/> names, or null.</summary>
    public string? DistributorId(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var prefix = $"{Base}/distributors/";
        const string Suffix = "/party";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && uri.EndsWith(Suffix, StringComparison.Ordinal) && uri.Length > prefix.Length + Suffix.Length
            ? Uri.UnescapeDataString(uri[prefix.Length..^Suffix.Length])
            : null;
    }

    /// <summary>An extension field name, e.g. <c>pv:line</c>.</summary>
    public static string Field(string name) => $"{Prefix}:{name}";
}

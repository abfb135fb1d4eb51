namespace Provenance.Core.Epcis;

/// <summary>
/// The identifiers this product writes into EPCIS events for its own things — sites, lines, gateways, the producer,
/// distributors, shipments, receipts — as HTTP URIs on the producer's resolver domain, and the namespace of its
/// extension fields (prefix <see cref="Prefix"/>). Path words avoid GS1 key names so that the event hash never
/// mistakes them for Digital Link URIs. Immutable and thread-safe.
/// </summary>
public sealed class EpcisNames
{
    public const string Prefix = "pv";

    public EpcisNames(string domain, string scheme = "https")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        Base = $"{scheme}://{domain}";
        Namespace = $"{Base}/ns/epcis/";
    }

    /// <summary>E.g. <c>https://id.example.com</c>.</summary>
    public string Base { get; }

    /// <summary>The namespace of extension fields, e.g. <c>https://id.example.com/ns/epcis/</c>.</summary>
    public string Namespace { get; }

    public IReadOnlyDictionary<string, string> Prefixes => new Dictionary<string, string>(StringComparer.Ordinal) { [Prefix] = Namespace };

    public string Producer => $"{Base}/producer";

    public string Site(string siteId) => $"{Base}/sites/{Uri.EscapeDataString(siteId)}";

    public string Line(string siteId, string line) => $"{Site(siteId)}/lines/{Uri.EscapeDataString(line)}";

    public string Gateway(string gatewayId) => $"{Base}/gateways/{Uri.EscapeDataString(gatewayId)}";

    public string Distributor(string distributorId) => $"{Base}/distributors/{Uri.EscapeDataString(distributorId)}";

    public string Shipment(long shipmentId) => $"{Base}/shipments/{shipmentId}";

    /// <summary>The distributor id a URI of <see cref="Distributor"/> names, or null.</summary>
    public string? DistributorId(string uri)
    {
        var prefix = $"{Base}/distributors/";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && uri.Length > prefix.Length ? Uri.UnescapeDataString(uri[prefix.Length..]) : null;
    }

    /// <summary>The shipment id a URI of <see cref="Shipment"/> names, or null.</summary>
    public long? ShipmentId(string uri)
    {
        var prefix = $"{Base}/shipments/";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(uri.AsSpan(prefix.Length), out var id) ? id : null;
    }

    /// <summary>An extension field name, e.g. <c>pv:line</c>.</summary>
    public static string Field(string name) => $"{Prefix}:{name}";
}

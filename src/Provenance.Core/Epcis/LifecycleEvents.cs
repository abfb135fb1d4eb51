using System.Text.Json.Nodes;
using Provenance.Core.Records;

namespace Provenance.Core.Epcis;

/// <summary>
/// Each step of a bottle's life as a standard EPCIS 2.0 event with CBV 2.0 vocabulary and Digital Link EPCs:
/// commissioning (tags issued), sealing at the line, packing into a box, case or pallet (and unpacking), shipping, receiving, opened, recalled,
/// voided. Every event carries its CBV 2.0 hash as <c>eventID</c>. Free text (a recall's reason) travels as
/// <c>rdfs:comment</c>, which the hash leaves out: text such as "fault 12" would otherwise be taken for a date by
/// epcis2.js and hashed differently there. Pure and thread-safe.
/// </summary>
public sealed class LifecycleEvents(EpcisNames names, string timeZoneOffset = "+00:00")
{
    public EpcisNames Names => names;

    /// <summary>Tags issued (one chunk of a batch): ObjectEvent ADD, commissioning, lot and batch as ILMD.</summary>
    public JsonObject Commissioning(DateTimeOffset at, string gtin, string? lot, long batchId, IEnumerable<string> serials)
    {
        var ilmd = new JsonObject();
        if (lot is not null)
        {
            ilmd["cbvmda:lotNumber"] = lot;
        }

        ilmd[EpcisNames.Field("batch")] = batchId;
        return Event(EpcisEvent.ObjectEvent, at)
            .Epcs("epcList", serials.Select(s => Epc.ForBottle(gtin, s)))
            .Set("action", "ADD").Set("bizStep", Cbv.BizSteps.Commissioning).Set("disposition", Cbv.Dispositions.Active)
            .Set("ilmd", ilmd)
            .Seal(names.Prefixes);
    }

    /// <summary>
    /// A bottle sealed at the line: ObjectEvent OBSERVE (assembling → container_closed) at the line (read point) of the
    /// site (business location); the gateway's fix as a sensor element whose device is the gateway; the seal and its
    /// origin attestation as extension fields.
    /// </summary>
    public JsonObject Sealing(ProvenanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = Event(EpcisEvent.ObjectEvent, record.SealedAt)
            .Epcs("epcList", [Epc.ForBottle(record.Gtin, record.Serial)])
            .Set("action", "OBSERVE").Set("bizStep", Cbv.BizSteps.Assembling).Set("disposition", Cbv.Dispositions.ContainerClosed)
            .Where("readPoint", names.Line(record.SiteId, record.Line))
            .Where("bizLocation", names.Site(record.SiteId));
        var a = record.Attestation;
        if (a.FixTime is { } fixTime && a.Latitude is { } lat && a.Longitude is { } lon)
        {
            var metadata = new JsonObject { ["time"] = EpcisEvent.Time(fixTime), ["deviceID"] = names.Gateway(record.GatewayId) };
            var reports = new JsonArray
            {
                new JsonObject { ["type"] = "Angle", ["component"] = "latitude", ["value"] = lat, ["uom"] = "DD" },
                new JsonObject { ["type"] = "Angle", ["component"] = "longitude", ["value"] = lon, ["uom"] = "DD" },
            };
            e.Set("sensorElementList", new JsonArray { new JsonObject { ["sensorMetadata"] = metadata, ["sensorReport"] = reports } });
        }

        e.Set(EpcisNames.Field("sealType"), record.SealType)
            .Set(EpcisNames.Field("originAttested"), JsonValue.Create(a.Attested));
        if (a.Failures.Count > 0)
        {
            e.Set(EpcisNames.Field("originFailures"), new JsonArray([.. a.Failures.Select(f => (JsonNode)JsonValue.Create(f))]));
        }

        return e.Seal(names.Prefixes);
    }

    /// <summary>
    /// Bottles (or lower-level containers) packed into a box, case or pallet: AggregationEvent ADD, packing; at the line
    /// (read point) of the site (business location) when a line gateway reported it.
    /// </summary>
    public JsonObject Packing(DateTimeOffset at, Epc container, IEnumerable<Epc> children, string? siteId = null, string? line = null)
    {
        var e = Event(EpcisEvent.AggregationEvent, at)
            .Set("parentID", container.Uri).Epcs("childEPCs", children)
            .Set("action", "ADD").Set("bizStep", Cbv.BizSteps.Packing).Set("disposition", Cbv.Dispositions.InProgress);
        if (siteId is not null && line is not null)
        {
            e.Where("readPoint", names.Line(siteId, line)).Where("bizLocation", names.Site(siteId));
        }

        return e.Seal(names.Prefixes);
    }

    /// <summary>Children taken out of a container (unpacked, or moved to another): AggregationEvent DELETE, unpacking.</summary>
    public JsonObject Unpacking(DateTimeOffset at, Epc container, IEnumerable<Epc> children) =>
        Event(EpcisEvent.AggregationEvent, at)
            .Set("parentID", container.Uri).Epcs("childEPCs", children)
            .Set("action", "DELETE").Set("bizStep", Cbv.BizSteps.Unpacking).Set("disposition", Cbv.Dispositions.InProgress)
            .Seal(names.Prefixes);

    /// <summary>A shipment: ObjectEvent OBSERVE, shipping, producer → distributor as owning parties, the shipment as despatch advice.</summary>
    public JsonObject Shipping(DateTimeOffset at, long shipmentId, string distributorId, IEnumerable<Epc> objects) =>
        Event(EpcisEvent.ObjectEvent, at)
            .Epcs("epcList", objects)
            .Set("action", "OBSERVE").Set("bizStep", Cbv.BizSteps.Shipping).Set("disposition", Cbv.Dispositions.InTransit)
            .Transaction(Cbv.DespatchAdvice, names.Shipment(shipmentId))
            .Party("sourceList", "source", Cbv.OwningParty, names.Producer)
            .Party("destinationList", "destination", Cbv.OwningParty, names.Distributor(distributorId))
            .Seal(names.Prefixes);

    /// <summary>A distributor's receipt: ObjectEvent OBSERVE, receiving, at the declared place (<c>geo:</c>) if any.</summary>
    public JsonObject Receiving(DateTimeOffset at, string distributorId, IEnumerable<Epc> bottles, IEnumerable<long> shipmentIds, double? lat, double? lon)
    {
        var e = Event(EpcisEvent.ObjectEvent, at)
            .Epcs("epcList", bottles)
            .Set("action", "OBSERVE").Set("bizStep", Cbv.BizSteps.Receiving).Set("disposition", Cbv.Dispositions.InProgress);
        if (lat is { } la && lon is { } lo)
        {
            e.Where("readPoint", Geo(la, lo));
        }

        foreach (var id in shipmentIds.Distinct().Order())
        {
            e.Transaction(Cbv.DespatchAdvice, names.Shipment(id));
        }

        return e.Party("sourceList", "source", Cbv.OwningParty, names.Producer)
            .Party("destinationList", "destination", Cbv.OwningParty, names.Distributor(distributorId))
            .Seal(names.Prefixes);
    }

    /// <summary>Seals found opened: ObjectEvent OBSERVE, inspecting → container_open, who reported it.</summary>
    public JsonObject Opened(DateTimeOffset at, IEnumerable<Epc> bottles, string source, string? reason) =>
        Event(EpcisEvent.ObjectEvent, at)
            .Epcs("epcList", bottles)
            .Set("action", "OBSERVE").Set("bizStep", Cbv.BizSteps.Inspecting).Set("disposition", Cbv.Dispositions.ContainerOpen)
            .Set(EpcisNames.Field("reportedBy"), source).Set("rdfs:comment", reason)
            .Seal(names.Prefixes);

    /// <summary>A recall of bottles, or of a whole lot (class level, as a quantity element without quantity).</summary>
    public JsonObject Recalled(DateTimeOffset at, IReadOnlyCollection<Epc> bottles, Epc? lot, string? reason)
    {
        var e = Event(EpcisEvent.ObjectEvent, at);
        if (bottles.Count > 0)
        {
            e.Epcs("epcList", bottles);
        }

        if (lot is not null)
        {
            e.Set("quantityList", new JsonArray { new JsonObject { ["epcClass"] = lot.Uri } });
        }

        return e.Set("action", "OBSERVE").Set("bizStep", Cbv.BizSteps.Holding).Set("disposition", Cbv.Dispositions.Recalled)
            .Set("rdfs:comment", reason)
            .Seal(names.Prefixes);
    }

    /// <summary>Voided labels (damaged, misprinted, destroyed): ObjectEvent DELETE, decommissioning → inactive.</summary>
    public JsonObject Voided(DateTimeOffset at, IEnumerable<Epc> bottles, string? reason) =>
        Event(EpcisEvent.ObjectEvent, at)
            .Epcs("epcList", bottles)
            .Set("action", "DELETE").Set("bizStep", Cbv.BizSteps.Decommissioning).Set("disposition", Cbv.Dispositions.Inactive)
            .Set("rdfs:comment", reason)
            .Seal(names.Prefixes);

    /// <summary>A <c>geo:</c> URI (RFC 5870) with at most 6 decimals (about 0.1 m).</summary>
    public static string Geo(double lat, double lon) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"geo:{Math.Round(lat, 6)},{Math.Round(lon, 6)}");

    private EpcisEvent Event(string type, DateTimeOffset at) => EpcisEvent.Create(type, at, timeZoneOffset);
}

using System.Text.Json.Nodes;
using Provenance.Api.Distribution;
using Provenance.Api.Security;
using Provenance.Core.Epcis;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.Epcis;

/// <summary>Why a capture document was refused: the HTTP status and a sentence naming the event and what to change.</summary>
public sealed record CaptureRefusal(int StatusCode, string Reason);

/// <summary>An alert a receipt raises once its capture is committed.</summary>
public sealed record CaptureAlert(string Kind, TagKey Bottle, string DistributorId, object Detail);

/// <summary>The outcome of planning: the changes to apply, the alerts to raise after, and each event's id.</summary>
public sealed record CapturePlan(CaptureChanges Changes, IReadOnlyList<CaptureAlert> Alerts, IReadOnlyList<string> EventIds, int AlreadyCaptured)
{
    /// <summary>Dealer custody scans (shipping to a child dealer, receiving by a sub-distributor or retailer), scored once the capture is committed.</summary>
    public IReadOnlyList<CustodyCapture> CustodyScans { get; init; } = [];
}

/// <summary>A dealer's custody scan captured as an EPCIS event: <c>in</c> or <c>out</c> (to <see cref="ChildId"/>), its bottles, where.</summary>
public sealed record CustodyCapture(string Action, string? ChildId, string EventId, IReadOnlyList<TagKey> Bottles, ScanLocation Place);

/// <summary>
/// Maps a schema-valid EPCIS document onto this product's model, refusing the whole document at the first event
/// that does not fit, with the same object-level rules as the HTTP API: packing (AggregationEvent ADD → a case) and
/// shipping (OBSERVE with an owning-party destination that is one of our distributors → a shipment) are the
/// producer's; receiving (OBSERVE → a receipt) is the receiving distributor's. Every EPC must be a bottle issued here
/// or a case registered here. Events keep the sender's eventID (or get their CBV 2.0 hash); an id already captured
/// with the same content is skipped, with other content the document is refused. Not thread-safe (one per request).
/// </summary>
public sealed class EpcisCapturePlanner(
    ApiCaller caller, TagStore tags, ShipmentStore shipments, DistributorStore distributors, EpcisEventStore repository, LifecycleEvents epcis)
{
    private readonly CaptureChanges _changes = new();
    private readonly List<CaptureAlert> _alerts = [];
    private readonly List<string> _ids = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<TagKey>> _plannedCases = new(StringComparer.Ordinal);
    private readonly List<CustodyCapture> _custody = [];
    private int _already;

    /// <summary>Plans the events of one document, or says why the document is refused.</summary>
    public (CapturePlan? Plan, CaptureRefusal? Refusal) Plan(JsonArray events, IReadOnlyDictionary<string, string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not JsonObject e)
            {
                return (null, new CaptureRefusal(400, $"event {i + 1} is not a JSON object"));
            }

            var refusal = PlanEvent(i + 1, e, prefixes);
            if (refusal is not null)
            {
                return (null, refusal);
            }
        }

        return (new CapturePlan(_changes, _alerts, _ids, _already) { CustodyScans = _custody }, null);
    }

    private CaptureRefusal? PlanEvent(int n, JsonObject source, IReadOnlyDictionary<string, string> prefixes)
    {
        var e = source.DeepClone().AsObject();
        e.Remove("recordTime"); // the repository records its own
        var eventPrefixes = new Dictionary<string, string>(prefixes, StringComparer.Ordinal);
        foreach (var (p, ns) in EpcisDocuments.Prefixes(e["@context"]))
        {
            eventPrefixes[p] = ns;
        }

        var type = Text(e["type"]);
        if (type is not (EpcisEvent.ObjectEvent or EpcisEvent.AggregationEvent))
        {
            return Refuse(n, $"{type} is not captured here; this repository captures ObjectEvent and AggregationEvent (packing, shipping, receiving)");
        }

        if (e["errorDeclaration"] is not null)
        {
            return Refuse(n, "error declarations are not supported; send the corrective event instead");
        }

        if (new[] { "quantityList", "childQuantityList" }.Any(f => e[f] is JsonArray { Count: > 0 }))
        {
            return Refuse(n, "class-level quantities are not tracked here; list each bottle's or case's EPC");
        }

        var id = Text(e["eventID"]) ?? EpcisEventHash.Compute(e, eventPrefixes);
        e["eventID"] = id;
        if (!_seen.Add(id))
        {
            return Refuse(n, $"eventID {id} appears twice in the document");
        }

        if (repository.Find(id) is { } existing)
        {
            if (existing.ContentHash != EpcisEventHash.Compute(e, eventPrefixes))
            {
                return new CaptureRefusal(409, $"event {n}: eventID {id} is already recorded with different content");
            }

            _already++;
            _ids.Add(id);
            return null; // captured before: capture is idempotent by event id, nothing is applied twice
        }

        var step = ShortBizStep(Text(e["bizStep"]));
        var action = Text(e["action"]);
        var parent = Text(e["parentID"]);
        var listed = (e[type == EpcisEvent.AggregationEvent ? "childEPCs" : "epcList"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
        string? distributor = null;
        var problem = (step, action) switch
        {
            ("packing", "ADD") when type == EpcisEvent.AggregationEvent => PlanPacking(n, parent, listed),
            ("shipping", "OBSERVE") when caller.IsDistributor => PlanDealerShipping(n, e, id, parent, listed, out distributor),
            ("shipping", "OBSERVE") => PlanShipping(n, e, parent, listed, out distributor),
            ("receiving", "OBSERVE") when caller.Role is ApiRoles.SubDistributor or ApiRoles.Retailer => PlanDealerReceiving(n, e, id, parent, listed, out distributor),
            ("receiving", "OBSERVE") => PlanReceiving(n, e, parent, listed, out distributor),
            _ => Refuse(n, $"{type} with bizStep '{step ?? "(none)"}' and action {action} does not map onto a case, shipment or receipt here; " +
                "this repository captures packing (AggregationEvent ADD), shipping and receiving (ObjectEvent or AggregationEvent OBSERVE)"),
        };
        if (problem is not null)
        {
            return problem;
        }

        _changes.Events.Add(EpcisEventRow.FromEvent(e, eventPrefixes, EpcisSources.Capture(caller.KeyId), distributor));
        _ids.Add(id);
        return null;
    }

    private CaptureRefusal? PlanPacking(int n, string? parent, List<string> children)
    {
        if (!IsProducer)
        {
            return Forbidden(n, "packing is recorded by the producer; a distributor's key captures receiving events");
        }

        if (parent is null || !Epc.TryParse(parent, out var container, out _) || container!.Kind == EpcKind.Lot)
        {
            return Refuse(n, "a packing event needs a parentID that is an SSCC (urn:epc:id:sscc or a Digital Link /00/…)");
        }

        var bottles = new List<TagKey>();
        foreach (var child in children)
        {
            if (!Epc.TryParse(child, out var epc, out var error) || epc!.Kind != EpcKind.Bottle || tags.Find(epc.Gtin!, epc.Serial!) is null)
            {
                return Refuse(n, $"childEPC {child} is not a bottle issued here{(error is null ? string.Empty : $" ({error})")}");
            }

            bottles.Add(new TagKey(epc.Gtin!, epc.Serial!));
        }

        if (bottles.Count == 0)
        {
            return Refuse(n, "a packing event needs childEPCs");
        }

        var code = CaseCode(container);
        _changes.Cases.Add((code, bottles));
        _plannedCases[code] = [.. (_plannedCases.GetValueOrDefault(code) ?? []).Concat(bottles).Distinct()]; // later events of the document may ship the case
        return null;
    }

    private CaptureRefusal? PlanShipping(int n, JsonObject e, string? parent, List<string> listed, out string? distributorId)
    {
        distributorId = null;
        if (!IsProducer)
        {
            return Forbidden(n, "shipments are recorded by the producer; a distributor's key captures receiving events");
        }

        var destinations = (e["destinationList"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(d => ShortTerm(Text(d["type"]), "SDT-") == Cbv.OwningParty).Select(d => Text(d["destination"])).OfType<string>().ToList();
        var distributor = destinations.Select(epcis.Names.DistributorId).OfType<string>().Select(distributors.Find).OfType<StoredDistributor>().FirstOrDefault();
        if (distributor is null)
        {
            return Refuse(n, $"a shipping event needs a destinationList entry of type owning_party naming one of our distributors ({epcis.Names.Distributor("{id}")}); found {(destinations.Count == 0 ? "none" : string.Join(", ", destinations))}");
        }

        var (bottles, problem) = Resolve(n, parent, listed);
        if (problem is not null)
        {
            return problem;
        }

        distributorId = distributor.Id;
        _changes.Shipments.Add((distributor.Id, distributor.RegionJson, bottles));
        return null;
    }

    private CaptureRefusal? PlanReceiving(int n, JsonObject e, string? parent, List<string> listed, out string? distributorId)
    {
        distributorId = caller.DistributorId;
        if (caller.Role != ApiRoles.Distributor || caller.DistributorId is not { } me || distributors.Find(me) is not { } receiver)
        {
            return Forbidden(n, "receiving events are captured by the distributor that received the goods, with its own API key");
        }

        var (bottles, problem) = Resolve(n, parent, listed);
        if (problem is not null)
        {
            return problem;
        }

        var where = Geo(Text(e["bizLocation"]?["id"])) ?? Geo(Text(e["readPoint"]?["id"]));
        var location = where is { } p ? new ScanLocation(LocationSource.Distributor, new Core.Geo.GeoPoint(p.Lat, p.Lon), null, receiver.Country) : new ScanLocation(LocationSource.Distributor) { Country = receiver.Country };
        var at = DateTimeOffset.Parse(Text(e["eventTime"])!, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var bottle in bottles)
        {
            _changes.Receipts.Add(new ScanRecord(bottle.Gtin, bottle.Serial, at, "receipt", where?.Lat, where?.Lon, "distributor", null, receiver.Country));
            var shipment = shipments.FindForTag(bottle.Gtin, bottle.Serial);
            if (shipment is null || shipment.DistributorId != me)
            {
                _alerts.Add(new CaptureAlert(Alerts.AlertService.ReceiptMismatch, bottle, me, new { reason = "not_allocated_to_receiver", receiver = me, source = "epcis" }));
            }
            else if (location.IsKnown && RegionDto.FromJson(shipment.RegionJson).TryBuild(out _)?.Contains(location) == false)
            {
                _alerts.Add(new CaptureAlert(Alerts.AlertService.Diverted, bottle, me, new
                {
                    grade = DiversionGrades.Strong,
                    reason = VerdictReasons.OutsideSalesRegion,
                    responsibleDealer = me,
                    accountableDistributor = me,
                    source = "epcis",
                    lat = where?.Lat,
                    lon = where?.Lon,
                    country = location.Country,
                    evidence = new[] { new { kind = DiversionGrades.DealerScanOutsideRegion, dealer = me, regionOf = me, action = "receipt" } },
                }));
            }
        }

        return null;
    }

    /// <summary>A dealer ships to one of its own child dealers (the owning_party destination): a custody scan-out.</summary>
    private CaptureRefusal? PlanDealerShipping(int n, JsonObject e, string id, string? parent, List<string> listed, out string? distributorId)
    {
        distributorId = caller.DistributorId;
        var child = (e["destinationList"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(d => ShortTerm(Text(d["type"]), "SDT-") == Cbv.OwningParty).Select(d => Text(d["destination"])).OfType<string>()
            .Select(epcis.Names.DistributorId).OfType<string>().Select(distributors.Find).OfType<StoredDistributor>()
            .FirstOrDefault(d => d.ParentId is not null && d.ParentId == caller.DistributorId);
        if (child is null)
        {
            return Refuse(n, $"a dealer's shipping event needs a destinationList entry of type owning_party naming one of its own child dealers ({epcis.Names.Distributor("{id}")})");
        }

        var (bottles, problem) = Resolve(n, parent, listed);
        if (problem is null)
        {
            _custody.Add(new CustodyCapture(CustodyEvent.Out, child.Id, id, bottles, Place(e)));
        }

        return problem;
    }

    /// <summary>A sub-distributor or retailer receives: a custody scan-in, scored on the chain once committed.</summary>
    private CaptureRefusal? PlanDealerReceiving(int n, JsonObject e, string id, string? parent, List<string> listed, out string? distributorId)
    {
        distributorId = caller.DistributorId;
        if (caller.DistributorId is not { } me || distributors.Find(me) is not { } dealer || dealer.Level != caller.Role)
        {
            return Forbidden(n, "this key is not bound to a dealer");
        }

        var (bottles, problem) = Resolve(n, parent, listed);
        if (problem is null)
        {
            _custody.Add(new CustodyCapture(CustodyEvent.In, null, id, bottles, Place(e)));
        }

        return problem;
    }

    private static ScanLocation Place(JsonObject e) => (Geo(Text(e["bizLocation"]?["id"])) ?? Geo(Text(e["readPoint"]?["id"]))) is { } p
        ? new ScanLocation(LocationSource.Distributor, new Core.Geo.GeoPoint(p.Lat, p.Lon))
        : ScanLocation.None;

    /// <summary>The bottles an OBSERVE event names: bottles issued here, and the bottles of cases registered here.</summary>
    private (List<TagKey> Bottles, CaptureRefusal? Problem) Resolve(int n, string? parent, List<string> listed)
    {
        var bottles = new List<TagKey>();
        foreach (var uri in parent is null ? listed : [parent, .. listed])
        {
            if (!Epc.TryParse(uri, out var epc, out var error))
            {
                return (bottles, Refuse(n, $"{uri} is not an EPC this repository reads: {error}"));
            }

            if (epc!.Kind == EpcKind.Bottle && tags.Find(epc.Gtin!, epc.Serial!) is not null)
            {
                bottles.Add(new TagKey(epc.Gtin!, epc.Serial!));
            }
            else if (epc.Kind != EpcKind.Lot && _plannedCases.TryGetValue(CaseCode(epc), out var planned))
            {
                bottles.AddRange(planned);
            }
            else if (epc.Kind != EpcKind.Lot && shipments.CaseTags(CaseCode(epc)) is { Count: > 0 } inCase)
            {
                bottles.AddRange(inCase);
            }
            else
            {
                return (bottles, Refuse(n, $"{uri} is neither a bottle issued here nor a case registered here"));
            }
        }

        return bottles.Count == 0 ? (bottles, Refuse(n, "the event names no objects (epcList, or parentID and childEPCs)")) : ([.. bottles.Distinct()], null);
    }

    private bool IsProducer => caller.Role is ApiRoles.Producer or ApiRoles.Admin;

    private static string CaseCode(Epc epc) => epc.Kind == EpcKind.Sscc ? $"/00/{epc.Sscc}" : new Uri(epc.Uri).AbsolutePath;

    private static (double Lat, double Lon)? Geo(string? uri)
    {
        if (uri is null || !uri.StartsWith("geo:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = uri[4..].Split([',', ';']);
        return parts.Length >= 2 && double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var lat) && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180 ? (lat, lon) : null;
    }

    /// <summary>A CBV term in bare form, whether written bare, as a CBV 2.0 URI or as a CBV 1.x URN.</summary>
    private static string? ShortTerm(string? value, string uriKind)
    {
        if (value is null)
        {
            return null;
        }

        var cbv2 = Cbv.Base + uriKind;
        var slash = value.LastIndexOf(':');
        return value.StartsWith(cbv2, StringComparison.Ordinal) ? value[cbv2.Length..]
            : value.StartsWith("urn:epcglobal:cbv:", StringComparison.Ordinal) && slash > 0 ? value[(slash + 1)..]
            : value;
    }

    private static string? ShortBizStep(string? value) => ShortTerm(value, "BizStep-");

    private static CaptureRefusal Refuse(int n, string reason) => new(400, $"event {n}: {reason}");

    private static CaptureRefusal Forbidden(int n, string reason) => new(403, $"event {n}: {reason}");

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

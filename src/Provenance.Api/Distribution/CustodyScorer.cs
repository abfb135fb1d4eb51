using System.Text.Json;
using Provenance.Api.Alerts;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>One line of a custody scan: the code as sent, its case (when it named one) and the bottles it stands for.</summary>
public sealed record CustodyLine(string Code, string? CaseCode, IReadOnlyList<TagKey> Bottles);

/// <summary>Who has a bottle: the dealer that last had custody, and the child it was shipped out to (null when not in transit).</summary>
public sealed record Custodian(string Holder, string? Addressee);

/// <summary>
/// Records dealers' scan-ins and scan-outs and scores diversion on the chain of custody: a dealer scan outside the region
/// of the dealer responsible for the bottle, or a dealer of another branch holding it, is strong evidence; custody moving
/// sideways inside a branch is moderate. The responsible dealer is the one that last had custody (the sender, while the
/// bottle is in transit), or the addressee itself when it takes delivery outside its own region. One <c>diverted</c>
/// alert per code line and responsible dealer, with the grade and the evidence, for the producer and the responsible
/// dealer's top-level distributor. Thread-safe.
/// </summary>
public sealed class CustodyScorer(CustodyStore custody, ShipmentStore shipments, DealerTree tree, AlertService alerts)
{
    /// <summary>Where a bottle is in the chain, or null when it was never shipped.</summary>
    public Custodian? CustodianOf(TagKey bottle)
    {
        var last = custody.Last(bottle.Gtin, bottle.Serial);
        if (last is null)
        {
            return shipments.FindForTag(bottle.Gtin, bottle.Serial) is { } shipment ? new Custodian(shipment.DistributorId, null) : null;
        }

        return last.Action == CustodyEvent.Out ? new Custodian(last.DealerId, last.Counterparty) : new Custodian(last.DealerId, null);
    }

    /// <summary>True when <paramref name="dealerId"/> holds the bottle now (received it, and did not ship it on).</summary>
    public bool Holds(string dealerId, TagKey bottle) => CustodianOf(bottle) is { Addressee: null } c && c.Holder == dealerId;

    /// <summary>Records <paramref name="receiver"/>'s scan-in of a line at <paramref name="place"/> and scores it; returns the bottles it was not addressed to.</summary>
    public IReadOnlyList<TagKey> ScanIn(StoredDistributor receiver, CustodyLine line, ScanLocation place, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(place);
        var insideOwn = place.IsKnown ? DealerTree.Region(receiver)?.Contains(place) : null;
        var findings = new Findings();
        var unexpected = new List<TagKey>();
        var events = new List<CustodyEvent>();
        foreach (var bottle in line.Bottles)
        {
            var c = CustodianOf(bottle);
            events.Add(Event(bottle, CustodyEvent.In, receiver.Id, null, line.CaseCode, source, place, insideOwn, now));
            if (c is null)
            {
                unexpected.Add(bottle);
                continue; // never shipped: no chain to judge (a warehouse receipt raises never_shipped)
            }

            var expected = c.Addressee == receiver.Id || (c.Addressee is null && c.Holder == receiver.Id);
            var evidence = new List<object>();
            string responsible;
            if (expected)
            {
                responsible = receiver.Id;
                if (insideOwn == false)
                {
                    evidence.Add(OutsideRegion(receiver.Id, receiver.Id, "scan_in", place));
                }
            }
            else
            {
                unexpected.Add(bottle);
                responsible = c.Holder;
                if (place.IsKnown && new[] { c.Holder, c.Addressee }.OfType<string>().All(d => RegionFor(d, bottle)?.Contains(place) == false))
                {
                    evidence.Add(OutsideRegion(receiver.Id, responsible, "scan_in", place));
                }

                var receiverRoot = tree.Root(receiver.Id);
                if (receiverRoot != tree.Root(responsible))
                {
                    evidence.Add(new { kind = DiversionGrades.ReceivedByAnotherBranch, receiver = receiver.Id, receiverDistributor = receiverRoot });
                }
                else if (!tree.SameLine(receiver.Id, responsible) && (c.Addressee is null || !tree.SameLine(receiver.Id, c.Addressee)))
                {
                    evidence.Add(new { kind = DiversionGrades.ReceivedByUnexpectedDealer, receiver = receiver.Id, addressedTo = c.Addressee, holder = c.Holder });
                }
            }

            findings.Add(responsible, bottle, evidence);
        }

        custody.Add(events);
        Raise(findings, line, receiver.Id, "scan_in", source, place);
        return unexpected;
    }

    /// <summary>
    /// Records <paramref name="sender"/>'s scan-out of a line to its child <paramref name="child"/>; bottles not in the
    /// sender's custody are not recorded and are returned. A scan-out outside the sender's region is strong evidence against it.
    /// </summary>
    public IReadOnlyList<TagKey> ScanOut(StoredDistributor sender, StoredDistributor child, CustodyLine line, ScanLocation place, DateTimeOffset now, string source = "api")
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(place);
        var findings = new Findings();
        var refused = new List<TagKey>();
        var events = new List<CustodyEvent>();
        foreach (var bottle in line.Bottles)
        {
            if (!Holds(sender.Id, bottle))
            {
                refused.Add(bottle);
                continue;
            }

            var inside = place.IsKnown ? RegionFor(sender.Id, bottle)?.Contains(place) : null;
            events.Add(Event(bottle, CustodyEvent.Out, sender.Id, child.Id, line.CaseCode, source, place, inside, now));
            findings.Add(sender.Id, bottle, inside == false ? [OutsideRegion(sender.Id, sender.Id, "scan_out", place)] : []);
        }

        custody.Add(events);
        Raise(findings, line, child.Id, "scan_out", source, place);
        return refused;
    }

    /// <summary>The region a dealer may handle a bottle in: the shipment's region for the distributor it was shipped to, else the dealer's own.</summary>
    private SalesRegion? RegionFor(string dealerId, TagKey bottle)
    {
        if (shipments.FindForTag(bottle.Gtin, bottle.Serial) is { } shipment && shipment.DistributorId == dealerId)
        {
            return RegionDto.FromJson(shipment.RegionJson).TryBuild(out _);
        }

        return tree.Find(dealerId) is { } dealer ? DealerTree.Region(dealer) : null;
    }

    private void Raise(Findings findings, CustodyLine line, string counterparty, string action, string source, ScanLocation place)
    {
        foreach (var ((responsible, grade), (bottles, evidence)) in findings.Groups)
        {
            var root = tree.Root(responsible) ?? responsible;
            var single = bottles.Count == 1 ? bottles[0] : (TagKey?)null;
            alerts.Raise(AlertService.Diverted, single?.Gtin, single?.Serial, root, new
            {
                grade,
                reason = VerdictReasons.OutsideSalesRegion,
                responsibleDealer = responsible,
                accountableDistributor = root,
                action,
                counterparty,
                source,
                place = ReceiptPlace.Describe(place),
                @case = line.CaseCode,
                code = line.Code,
                count = bottles.Count,
                evidence = evidence.Values,
            });
        }
    }

    private static object OutsideRegion(string dealer, string regionOf, string action, ScanLocation place) =>
        new { kind = DiversionGrades.DealerScanOutsideRegion, dealer, regionOf, action, place = ReceiptPlace.Describe(place) };

    private static CustodyEvent Event(TagKey bottle, string action, string dealer, string? counterparty, string? caseCode, string source, ScanLocation place, bool? inside, DateTimeOffset now) =>
        new(0, bottle.Gtin, bottle.Serial, action, dealer, counterparty, caseCode, source, place.Point?.Latitude, place.Point?.Longitude, place.Country, inside, now);

    /// <summary>Bottles and distinct evidence grouped by responsible dealer and grade (bottles without evidence are dropped).</summary>
    private sealed class Findings
    {
        public Dictionary<(string Responsible, string Grade), (List<TagKey> Bottles, Dictionary<string, object> Evidence)> Groups { get; } = [];

        public void Add(string responsible, TagKey bottle, List<object> evidence)
        {
            var grade = DiversionGrades.Grade(evidence.Select(e => JsonSerializer.SerializeToElement(e).GetProperty("kind").GetString()!));
            if (grade is null)
            {
                return;
            }

            if (!Groups.TryGetValue((responsible, grade), out var group))
            {
                Groups[(responsible, grade)] = group = ([], new Dictionary<string, object>(StringComparer.Ordinal));
            }

            group.Bottles.Add(bottle);
            foreach (var e in evidence)
            {
                group.Evidence.TryAdd(JsonSerializer.Serialize(e), e);
            }
        }
    }
}

using Provenance.Core.Geo;
using Provenance.Core.Verdicts;

namespace Provenance.Core.Tests.Verdicts;

public sealed class VerdictEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Guiyang = new(26.65, 106.63);
    private static readonly GeoPoint Shanghai = new(31.23, 121.47);
    private static readonly VerdictPolicy Policy = new();

    private static readonly SalesRegion Guizhou = new(
        [new PolygonGeofence([new GeoPoint(24.6, 103.6), new GeoPoint(24.6, 109.6), new GeoPoint(29.2, 109.6), new GeoPoint(29.2, 103.6)])], null);

    private static VerdictInput Sealed(Func<TagFacts, TagFacts>? tag = null) =>
        new(true, Now) { Tag = (tag ?? (t => t))(new TagFacts(true, true)), Scanner = "me" };

    private static ScanLocation Browser(GeoPoint point, double accuracy = 30) => new(LocationSource.Browser, point, accuracy);

    [Fact]
    public void A_failed_mac_is_counterfeit_whatever_else_is_known()
    {
        var decision = VerdictEngine.Decide(Sealed() with { MacValid = false }, Policy);

        Assert.Equal(ScanVerdict.Counterfeit, decision.Verdict);
        Assert.Equal([VerdictReasons.MacInvalid], decision.Reasons);
        Assert.Null(decision.History);
    }

    [Fact]
    public void An_authenticated_code_that_was_never_issued_is_unknown()
    {
        var decision = VerdictEngine.Decide(new VerdictInput(true, Now), Policy);

        Assert.Equal(ScanVerdict.Unknown, decision.Verdict);
        Assert.Equal("verdict.unknown.not_issued", decision.SentenceKey);
    }

    [Fact]
    public void An_issued_code_that_was_never_sealed_is_not_sealed()
    {
        Assert.Equal(ScanVerdict.NotSealed, VerdictEngine.Decide(new VerdictInput(true, Now) { Tag = new TagFacts(true, false) }, Policy).Verdict);
    }

    [Fact]
    public void A_sealed_code_with_nothing_against_it_is_authentic()
    {
        var decision = VerdictEngine.Decide(Sealed(), Policy);

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal(LocationConfidence.None, decision.Confidence);
        Assert.Equal(1, decision.History!.Count);
    }

    [Fact]
    public void Void_outranks_recall_and_recall_outranks_not_sealed_and_all_reasons_are_listed()
    {
        var input = new VerdictInput(true, Now) { Tag = new TagFacts(true, false) { VoidedAt = Now, Recall = new RecallFacts(Now, "glass", true) } };

        var decision = VerdictEngine.Decide(input, Policy);

        Assert.Equal(ScanVerdict.Void, decision.Verdict);
        Assert.Equal([VerdictReasons.TagVoided, VerdictReasons.LotRecalled, VerdictReasons.NotSealed], decision.Reasons);
        var recalled = VerdictEngine.Decide(input with { Tag = input.Tag! with { VoidedAt = null } }, Policy);
        Assert.Equal(ScanVerdict.Recalled, recalled.Verdict);
    }

    [Fact]
    public void An_opened_seal_is_opened_within_the_grace_and_a_clone_after_it()
    {
        var justOpened = Sealed(t => t with { Opened = new OpenedFacts(Now.AddHours(-2), "nfc") });
        var longOpened = Sealed(t => t with { Opened = new OpenedFacts(Now.AddDays(-3), "nfc") });

        Assert.Equal(ScanVerdict.Opened, VerdictEngine.Decide(justOpened, Policy).Verdict);
        var late = VerdictEngine.Decide(longOpened, Policy);
        Assert.Equal(ScanVerdict.SuspectClone, late.Verdict);
        Assert.Contains(VerdictReasons.ScannedAfterOpened, late.Reasons);
    }

    [Fact]
    public void Scans_1300_km_apart_within_an_hour_are_impossible_travel()
    {
        var input = Sealed() with
        {
            History = [new PastScan(Now.AddMinutes(-60), Browser(Guiyang), "a")],
            Location = Browser(Shanghai),
        };

        var decision = VerdictEngine.Decide(input, Policy);

        Assert.Equal(ScanVerdict.SuspectClone, decision.Verdict);
        Assert.Equal([VerdictReasons.ImpossibleTravel], decision.Reasons);
        Assert.Equal(LocationConfidence.High, decision.Confidence);
        Assert.Equal(2, decision.History!.Count);
        Assert.Equal(Guiyang, decision.History.FirstPlace!.Point);
    }

    [Fact]
    public void A_distributors_receipt_is_custody_not_a_consumer_scan_for_impossible_travel_or_the_public_history()
    {
        var receipt = new PastScan(Now.AddMinutes(-10), new ScanLocation(LocationSource.Distributor, Guiyang), null);
        var input = Sealed() with { History = [receipt], Location = Browser(Shanghai) };

        var decision = VerdictEngine.Decide(input, Policy);

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal(1, decision.History!.Count);
        Assert.Equal(Shanghai, decision.History.FirstPlace!.Point);
    }

    [Fact]
    public void One_scanner_claiming_far_apart_places_is_not_impossible_travel_but_a_second_network_identity_is()
    {
        var history = new List<PastScan> { new(Now.AddMinutes(-10), Browser(Guiyang), "me"), new(Now.AddMinutes(-5), Browser(Shanghai), "me") };

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(Sealed() with { History = history, Location = Browser(Guiyang) }, Policy).Verdict);
        var other = VerdictEngine.Decide(Sealed() with { History = history, Location = Browser(Shanghai), Scanner = "someone-else" }, Policy);
        Assert.Equal(ScanVerdict.SuspectClone, other.Verdict);
        Assert.Equal([VerdictReasons.ImpossibleTravel], other.Reasons);
    }

    [Fact]
    public void A_single_clients_claim_outside_the_region_does_not_divert_the_bottle_for_later_scanners_two_clients_do()
    {
        var shipped = Sealed() with { Shipment = new ShipmentFacts("d1", Guizhou), Location = Browser(Guiyang) };
        var lie = new PastScan(Now.AddDays(-1), Browser(Shanghai), "liar");

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(shipped with { History = [lie, lie with { At = Now.AddHours(-2) }] }, Policy).Verdict);
        var corroborated = VerdictEngine.Decide(shipped with { History = [lie, new PastScan(Now.AddHours(-2), Browser(Shanghai), "another")] }, Policy);
        Assert.Equal(ScanVerdict.Diverted, corroborated.Verdict);
        Assert.Equal([VerdictReasons.PreviouslyOutsideSalesRegion], corroborated.Reasons);
    }

    [Fact]
    public void The_same_trip_over_two_days_is_plausible()
    {
        var input = Sealed() with { History = [new PastScan(Now.AddDays(-2), Browser(Guiyang), "a")], Location = Browser(Shanghai) };

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(input, Policy).Verdict);
    }

    [Fact]
    public void The_maximum_speed_is_configurable()
    {
        var input = Sealed() with { History = [new PastScan(Now.AddHours(-3), Browser(Guiyang), "a")], Location = Browser(Shanghai) };

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(input, Policy).Verdict);
        Assert.Equal(ScanVerdict.SuspectClone, VerdictEngine.Decide(input, new VerdictPolicy { MaxTravelSpeedKmh = 300 }).Verdict);
    }

    [Fact]
    public void Uncertain_locations_do_not_make_travel_out_of_their_own_radius()
    {
        var nearby = new GeoPoint(26.95, 106.63); // ~33 km north
        var input = Sealed() with { History = [new PastScan(Now.AddMinutes(-1), Browser(Guiyang), "a")], Location = Browser(nearby, 20_000) };

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(input, Policy).Verdict);
    }

    [Fact]
    public void More_distinct_scanners_than_the_limit_make_a_suspect_clone()
    {
        var history = Enumerable.Range(0, 5).Select(i => new PastScan(Now.AddDays(-i - 1), ScanLocation.None, $"s{i}")).ToList();

        var decision = VerdictEngine.Decide(Sealed() with { History = history }, Policy);

        Assert.Equal(ScanVerdict.SuspectClone, decision.Verdict);
        Assert.Equal([VerdictReasons.TooManyScanners], decision.Reasons);
        Assert.Equal(6, decision.History!.DistinctScanners);
        var sameScanner = VerdictEngine.Decide(Sealed() with { History = history, Scanner = "s0" }, Policy);
        Assert.Equal(ScanVerdict.Authentic, sameScanner.Verdict);
    }

    [Fact]
    public void A_scan_outside_the_shipment_region_is_diverted_with_the_confidence_of_its_location()
    {
        var shipped = Sealed() with { Shipment = new ShipmentFacts("d1", Guizhou) };

        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(shipped with { Location = Browser(Guiyang) }, Policy).Verdict);
        var outside = VerdictEngine.Decide(shipped with { Location = Browser(Shanghai, 5_000) }, Policy);
        Assert.Equal(ScanVerdict.Diverted, outside.Verdict);
        Assert.Equal([VerdictReasons.OutsideSalesRegion], outside.Reasons);
        Assert.Equal(LocationConfidence.Medium, outside.Confidence);
        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(shipped, Policy).Verdict);
    }

    [Fact]
    public void Iso_codes_are_matched_against_the_ip_country_only()
    {
        var region = new SalesRegion(null, ["CN"]);
        var shipped = Sealed() with { Shipment = new ShipmentFacts("d1", region) };

        var us = VerdictEngine.Decide(shipped with { Location = new ScanLocation(LocationSource.Ip, new GeoPoint(37.75, -97.82), 1_000_000, "US") }, Policy);
        Assert.Equal(ScanVerdict.Diverted, us.Verdict);
        Assert.Equal(LocationConfidence.Low, us.Confidence);
        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(shipped with { Location = new ScanLocation(LocationSource.Ip, null, null, "CN") }, Policy).Verdict);
        Assert.Equal(ScanVerdict.Authentic, VerdictEngine.Decide(shipped with { Location = Browser(Shanghai) }, Policy).Verdict);
    }

    [Fact]
    public void A_distributor_receipt_outside_the_region_makes_later_scans_diverted()
    {
        var receipt = new PastScan(Now.AddDays(-10), new ScanLocation(LocationSource.Distributor, Shanghai), null);
        var input = Sealed() with { Shipment = new ShipmentFacts("d1", Guizhou), History = [receipt] };

        var decision = VerdictEngine.Decide(input, Policy);

        Assert.Equal(ScanVerdict.Diverted, decision.Verdict);
        Assert.Equal([VerdictReasons.PreviouslyOutsideSalesRegion], decision.Reasons);
    }

    [Fact]
    public void Suspect_clone_outranks_opened_and_diverted()
    {
        var input = Sealed(t => t with { Opened = new OpenedFacts(Now.AddHours(-1), "retailer") }) with
        {
            Shipment = new ShipmentFacts("d1", Guizhou),
            History = [new PastScan(Now.AddMinutes(-30), Browser(Guiyang), "a")],
            Location = Browser(Shanghai),
        };

        var decision = VerdictEngine.Decide(input, Policy);

        Assert.Equal(ScanVerdict.SuspectClone, decision.Verdict);
        Assert.Equal([VerdictReasons.ImpossibleTravel, VerdictReasons.SealOpened, VerdictReasons.OutsideSalesRegion], decision.Reasons);
        Assert.Equal(ScanVerdict.Opened, VerdictEngine.Decide(input with { Location = Browser(Guiyang) }, Policy).Verdict);
    }

    [Fact]
    public void Every_verdict_has_a_distinct_wire_name_and_a_sentence()
    {
        var names = Enum.GetValues<ScanVerdict>().Select(ScanVerdicts.Name).ToList();

        Assert.Equal(["authentic", "counterfeit", "unknown", "not_sealed", "recalled", "void", "opened", "suspect_clone", "diverted", "suspect_origin", "suspect_refill"], names);
        Assert.All(Enum.GetValues<ScanVerdict>(), v => Assert.False(string.IsNullOrWhiteSpace(ScanVerdicts.Sentence(v))));
        Assert.Equal(Enum.GetValues<ScanVerdict>().Length, ScanVerdicts.Precedence.Distinct().Count());
        Assert.Equal(ScanVerdict.SuspectClone, ScanVerdicts.Parse("suspect_clone"));
    }

    [Fact]
    public void Coarsening_rounds_to_about_a_kilometre()
    {
        var coarse = Browser(new GeoPoint(26.64789, 106.63211), 12).Coarsened();

        Assert.Equal(new GeoPoint(26.65, 106.63), coarse.Point);
        Assert.Equal(1_000, coarse.AccuracyMeters);
    }
}

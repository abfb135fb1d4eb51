using Provenance.Core.Geo;
using Provenance.Core.Origin;
using Provenance.Core.Registry;
using Provenance.Core.Verdicts;

namespace Provenance.Core.Tests.Verdicts;

/// <summary>How the origin attestation of a sealed bottle reaches its verdict: reasons, origin confidence, and the one failure that changes the verdict.</summary>
public sealed class OriginVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 11, 0, TimeSpan.Zero);
    private static readonly VerdictPolicy Policy = new();

    private static VerdictDecision Decide(OriginFacts? origin, TagFacts? tag = null) =>
        VerdictEngine.Decide(new VerdictInput(true, Now) { Tag = tag ?? new TagFacts(true, true), Origin = origin }, Policy);

    [Fact]
    public void An_attested_seal_is_authentic_with_origin_attested_and_high_origin_confidence()
    {
        var decision = Decide(new OriginFacts(true, []));

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal([VerdictReasons.SealedAtRegisteredLine, VerdictReasons.OriginAttested], decision.Reasons);
        Assert.Equal(OriginConfidence.High, decision.OriginConfidence);
    }

    [Theory]
    [InlineData("stale_fix")]
    [InlineData("no_fix")]
    [InlineData("poor_precision")]
    [InlineData("too_few_satellites")]
    [InlineData("no_beidou")]
    public void A_benign_failure_keeps_the_verdict_lists_the_failure_and_gives_medium_confidence(string failure)
    {
        var decision = Decide(new OriginFacts(false, [failure]));

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal([VerdictReasons.SealedAtRegisteredLine, VerdictReasons.OriginNotAttested, failure], decision.Reasons);
        Assert.Equal(OriginConfidence.Medium, decision.OriginConfidence);
    }

    [Theory]
    [InlineData("simulation_mode")]
    [InlineData("frozen_coordinates")]
    [InlineData("implausible_jump")]
    public void A_failure_that_doubts_the_position_keeps_the_verdict_with_low_confidence(string failure)
    {
        var decision = Decide(new OriginFacts(false, ["stale_fix", failure]));

        Assert.Equal(ScanVerdict.Authentic, decision.Verdict);
        Assert.Equal(OriginConfidence.Low, decision.OriginConfidence);
        Assert.Contains(failure, decision.Reasons);
    }

    [Fact]
    public void Just_outside_the_geofence_is_authentic_with_low_confidence_and_far_outside_is_suspect_origin()
    {
        var near = Decide(new OriginFacts(false, ["outside_geofence"]) { MetresOutsideGeofence = Policy.SuspectOriginMeters - 1 });
        var far = Decide(new OriginFacts(false, ["outside_geofence"]) { MetresOutsideGeofence = Policy.SuspectOriginMeters + 1 });

        Assert.Equal(ScanVerdict.Authentic, near.Verdict);
        Assert.Equal(OriginConfidence.Low, near.OriginConfidence);
        Assert.Equal(ScanVerdict.SuspectOrigin, far.Verdict);
        Assert.Equal([VerdictReasons.FarOutsideGeofence, VerdictReasons.OriginNotAttested, "outside_geofence"], far.Reasons);
        Assert.Equal("verdict.suspect_origin.far_outside_geofence", far.SentenceKey);
    }

    [Fact]
    public void A_recall_outranks_a_suspect_origin_and_the_origin_reasons_still_follow()
    {
        var decision = Decide(new OriginFacts(false, ["outside_geofence"]) { MetresOutsideGeofence = 50_000 }, new TagFacts(true, true) { Recall = new RecallFacts(Now, "glass", true) });

        Assert.Equal(ScanVerdict.Recalled, decision.Verdict);
        Assert.Equal([VerdictReasons.LotRecalled, VerdictReasons.FarOutsideGeofence, VerdictReasons.OriginNotAttested, "outside_geofence"], decision.Reasons);
    }

    [Fact]
    public void An_unsealed_tag_has_no_origin_confidence_and_no_origin_reasons()
    {
        var decision = Decide(new OriginFacts(true, []), new TagFacts(true, false));

        Assert.Equal(ScanVerdict.NotSealed, decision.Verdict);
        Assert.Equal(OriginConfidence.None, decision.OriginConfidence);
        Assert.Equal([VerdictReasons.NotSealed], decision.Reasons);
    }

    [Fact]
    public void A_fix_without_beidou_satellites_fails_attestation_unless_the_policy_turns_the_check_off()
    {
        var fence = new CircularGeofence(new GeoPoint(27.8611, 106.3720), 400);
        GnssFix[] fixes = [new() { Time = Now, Latitude = 27.8611, Longitude = 106.3720, Mode = 3, Hdop = 0.9, SatellitesUsed = 12, BeiDouSatellitesUsed = 0 }];

        Assert.Equal(["no_beidou"], OriginAttestor.Attest(fence, fence.Center, fixes, Now, new AttestationPolicy()).Failures);
        Assert.True(OriginAttestor.Attest(fence, fence.Center, fixes, Now, new AttestationPolicy { MinBeiDouSatellitesUsed = 0 }).Attested);
    }

    [Fact]
    public void Receiver_noise_between_close_epochs_is_not_a_jump_but_a_move_to_another_place_is()
    {
        var fence = new CircularGeofence(new GeoPoint(27.8611, 106.3720), 400);
        var fourMetresEast = 4 / (111_320.0 * Math.Cos(27.8611 * Math.PI / 180));
        var oneKmEast = 1_000 * fourMetresEast / 4;
        GnssFix Fix(double seconds, double east) => new()
        {
            Time = Now.AddSeconds(seconds), Latitude = 27.8611, Longitude = 106.3720 + east, Mode = 3, Hdop = 0.9, SatellitesUsed = 12, BeiDouSatellitesUsed = 5,
        };

        // A restarted receiver 50 ms later and 4 m away: 80 m/s on paper, noise in fact.
        GnssFix[] noise = [Fix(-1, 0), Fix(-0.95, fourMetresEast)];
        GnssFix[] moved = [Fix(-1, 0), Fix(-0.5, oneKmEast)];

        Assert.True(OriginAttestor.Attest(fence, fence.Center, noise, Now, new AttestationPolicy()).Attested);
        Assert.Contains("implausible_jump", OriginAttestor.Attest(fence, fence.Center, moved, Now, new AttestationPolicy()).Failures);
        Assert.Contains("implausible_jump", OriginAttestor.Attest(fence, fence.Center, noise, Now, new AttestationPolicy { JumpToleranceMeters = 0 }).Failures);
    }

    [Fact]
    public void Attestation_inputs_recorded_before_the_jump_tolerance_rerun_with_the_rule_they_were_decided_by()
    {
        var old = System.Text.Json.JsonSerializer.Deserialize<AttestationInputs>(
            """{"fixTimes":[],"maxFixAgeS":30,"maxHdop":5,"minSats":4,"frozenFixCount":5,"maxSpeedMps":50}""")!;
        var now = AttestationInputs.Of([], new AttestationPolicy { MinBeiDouSatellitesUsed = 0 });

        Assert.Equal(0, old.Policy().JumpToleranceMeters);
        Assert.Equal(1, old.Policy().MinBeiDouSatellitesUsed);
        Assert.Equal(30, now.Policy().JumpToleranceMeters);
        Assert.Equal(0, now.Policy().MinBeiDouSatellitesUsed);
    }

    [Fact]
    public void The_distance_outside_a_site_is_measured_from_the_circle_edge_or_the_nearest_polygon_edge()
    {
        var circle = new Site("p", "P", new GeoPoint(27.8611, 106.3720), 400, null);
        var square = new Site("q", "Q", new GeoPoint(0, 0), null, [new GeoPoint(0, 0), new GeoPoint(0, 0.01), new GeoPoint(0.01, 0.01), new GeoPoint(0.01, 0)]);
        var tenKmNorth = new GeoPoint(27.8611 + (10_000 / 111_320.0), 106.3720);

        Assert.InRange(circle.MetresOutside(tenKmNorth), 9_580, 9_620);
        Assert.Equal(0, circle.MetresOutside(circle.Center));
        Assert.InRange(square.MetresOutside(new GeoPoint(0.005, 0.02)), 1_100, 1_125);
        Assert.Equal(0, square.MetresOutside(new GeoPoint(0.005, 0.005)));
    }

    [Fact]
    public void Every_reason_code_is_listed_once_including_every_origin_failure()
    {
        Assert.Equal(VerdictReasons.All.Count, VerdictReasons.All.Distinct().Count());
        Assert.Subset(VerdictReasons.All.ToHashSet(), OriginAttestation.AllCodes.ToHashSet());
        Assert.Equal(Enum.GetValues<OriginFailure>().Length, OriginAttestation.AllCodes.Count);
    }
}

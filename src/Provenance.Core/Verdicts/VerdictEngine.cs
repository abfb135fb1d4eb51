namespace Provenance.Core.Verdicts;

/// <summary>
/// Decides a scan's verdict from facts alone (no I/O). Every rule that applies adds its reason; the verdict is the
/// first in <see cref="ScanVerdicts.Precedence"/> that has one:
/// counterfeit &gt; unknown &gt; void &gt; recalled &gt; not_sealed &gt; suspect_refill &gt; suspect_clone &gt; suspect_origin &gt; opened &gt;
/// diverted &gt; authentic. A failed MAC stops at once: nothing else is known or looked up.
/// The origin attestation of a sealed bottle always adds its reasons after the decisive ones (<c>origin_attested</c>,
/// or <c>origin_not_attested</c> and each failure) and sets <see cref="VerdictDecision.OriginConfidence"/>; only a
/// fix farther outside the geofence than <see cref="VerdictPolicy.SuspectOriginMeters"/> changes the verdict
/// (<c>suspect_origin</c>): every other failure is as likely a receiver's bad moment as a fraud, so it lowers the
/// confidence and alerts the producer instead. An NFC cap's tap (<see cref="VerdictInput.Cap"/>) adds its own rules: a
/// chip no seal bound is not_sealed, a replayed or rolled-back read counter is suspect_clone, an open (or once opened)
/// tamper loop is opened, and an authentic verdict names the loop's state (e.g. cap_sealed). Stateless and thread-safe.
/// </summary>
public static class VerdictEngine
{
    /// <summary>Decides.</summary>
    public static VerdictDecision Decide(VerdictInput input, VerdictPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        if (!input.MacValid)
        {
            return new VerdictDecision(ScanVerdict.Counterfeit, [VerdictReasons.MacInvalid], Key(ScanVerdict.Counterfeit, VerdictReasons.MacInvalid), LocationConfidence.None, input.Location.Source);
        }

        var history = Summarise(input);
        if (input.Cap is { Bound: false } unbound)
        {
            // A genuine chip never fitted to a bottle at a line (stolen from the encoding stock): nothing else to know.
            List<string> capReasons = [VerdictReasons.CapNotBound, .. CounterReasons(unbound).Select(r => r.Reason)];
            return new VerdictDecision(ScanVerdict.NotSealed, capReasons, Key(ScanVerdict.NotSealed, VerdictReasons.CapNotBound), LocationConfidence.None, input.Location.Source);
        }

        var tag = input.Tag;
        if (tag is null || !tag.Issued)
        {
            return new VerdictDecision(ScanVerdict.Unknown, [VerdictReasons.NotIssued], Key(ScanVerdict.Unknown, VerdictReasons.NotIssued), LocationConfidence.None, input.Location.Source)
            {
                History = history,
            };
        }

        var reasons = new List<(ScanVerdict Verdict, string Reason)>();
        var usedLocation = false;
        if (tag.VoidedAt is not null)
        {
            reasons.Add((ScanVerdict.Void, VerdictReasons.TagVoided));
        }

        if (tag.Recall is { } recall)
        {
            reasons.Add((ScanVerdict.Recalled, recall.WholeLot ? VerdictReasons.LotRecalled : VerdictReasons.TagRecalled));
        }

        if (!tag.Sealed)
        {
            reasons.Add((ScanVerdict.NotSealed, VerdictReasons.NotSealed));
        }

        var origin = tag.Sealed ? input.Origin : null;
        if (origin is { Attested: false, MetresOutsideGeofence: { } outside } && outside > policy.SuspectOriginMeters)
        {
            reasons.Add((ScanVerdict.SuspectOrigin, VerdictReasons.FarOutsideGeofence));
        }

        if (ImpossibleTravel(input, policy))
        {
            reasons.Add((ScanVerdict.SuspectClone, VerdictReasons.ImpossibleTravel));
            usedLocation = true;
        }

        if (history.DistinctScanners > policy.MaxDistinctScanners)
        {
            reasons.Add((ScanVerdict.SuspectClone, VerdictReasons.TooManyScanners));
        }

        if (input.Cap is { } cap)
        {
            reasons.AddRange(CounterReasons(cap));
            if (cap.Tamper == Nfc.TamperStatus.Open)
            {
                reasons.Add((ScanVerdict.Opened, VerdictReasons.CapLoopOpen));
            }
            else if (cap.Tamper == Nfc.TamperStatus.WasOpened)
            {
                reasons.Add((ScanVerdict.Opened, VerdictReasons.CapLoopWasOpened));
            }
        }

        if (tag.Opened is { } opened)
        {
            // An inner code's opening is the consumer's own act, so scans of the outer code after it stay 'opened' for as
            // long as the bottle lasts; other reports of an opening turn suspect after the grace period.
            reasons.Add(opened.ByInnerCode ? (ScanVerdict.Opened, VerdictReasons.InnerCodeScanned)
                : input.Now - opened.At > policy.OpenedGrace ? (ScanVerdict.SuspectClone, VerdictReasons.ScannedAfterOpened)
                : (ScanVerdict.Opened, VerdictReasons.SealOpened));
            if (InTradeAfter(input, opened.At))
            {
                reasons.Add((ScanVerdict.SuspectRefill, VerdictReasons.InTradeAfterOpened));
            }
        }

        if (input.Shipment is { } shipment)
        {
            if (input.Location.IsKnown && shipment.Region.Contains(input.Location) == false)
            {
                reasons.Add((ScanVerdict.Diverted, VerdictReasons.OutsideSalesRegion));
                usedLocation = true;
            }
            else if (PreviouslyOutside(input.History, shipment.Region))
            {
                reasons.Add((ScanVerdict.Diverted, VerdictReasons.PreviouslyOutsideSalesRegion));
            }
        }

        if (reasons.Count == 0)
        {
            reasons.Add((ScanVerdict.Authentic, VerdictReasons.SealedAtRegisteredLine));
            if (input.Cap is { } sealedCap)
            {
                reasons.Add((ScanVerdict.Authentic, CapState(sealedCap.Tamper)));
            }
        }

        var ordered = reasons.OrderBy(r => Rank(r.Verdict)).ToList();
        var (verdict, primary) = ordered[0];
        var confidence = usedLocation || input.Location.IsKnown ? Confidence(input.Location, policy) : LocationConfidence.None;
        var all = ordered.Select(r => r.Reason).ToList();
        if (origin is not null)
        {
            all.AddRange(origin.Attested ? [VerdictReasons.OriginAttested] : [VerdictReasons.OriginNotAttested, .. origin.Failures]);
        }

        return new VerdictDecision(verdict, [.. all.Distinct()], Key(verdict, primary), confidence, input.Location.Source)
        {
            History = history,
            OriginConfidence = OriginFailureKinds.Confidence(origin),
        };
    }

    /// <summary>How much a location can be trusted.</summary>
    public static LocationConfidence Confidence(ScanLocation location, VerdictPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(policy);
        return location.Source switch
        {
            _ when !location.IsKnown => LocationConfidence.None,
            LocationSource.Distributor => LocationConfidence.High,
            LocationSource.Browser => location.AccuracyMeters is { } a && a <= policy.HighAccuracyMeters ? LocationConfidence.High : LocationConfidence.Medium,
            LocationSource.Ip => LocationConfidence.Low,
            _ => LocationConfidence.None,
        };
    }

    private static IEnumerable<(ScanVerdict Verdict, string Reason)> CounterReasons(CapFacts cap) => cap.Counter switch
    {
        CapCounter.Replayed => [(ScanVerdict.SuspectClone, VerdictReasons.CapMessageReplayed)],
        CapCounter.RolledBack => [(ScanVerdict.SuspectClone, VerdictReasons.CapCounterRollback)],
        _ => [],
    };

    /// <summary>The reason an authentic cap adds: what its loop says when nothing is wrong.</summary>
    private static string CapState(Nfc.TamperStatus tamper) => tamper switch
    {
        Nfc.TamperStatus.Closed => VerdictReasons.CapSealed,
        Nfc.TamperStatus.NotInitialised => VerdictReasons.CapLoopNotArmed,
        Nfc.TamperStatus.Unreadable => VerdictReasons.CapLoopUnreadable,
        _ => VerdictReasons.CapVerified,
    };

    private static int Rank(ScanVerdict verdict)
    {
        for (var i = 0; i < ScanVerdicts.Precedence.Count; i++)
        {
            if (ScanVerdicts.Precedence[i] == verdict)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static string Key(ScanVerdict verdict, string reason) => $"verdict.{ScanVerdicts.Name(verdict)}.{reason}";

    /// <summary>
    /// Earlier scans placed the bottle outside its region: a location the client cannot choose (a distributor's receipt,
    /// an IP region) on its own, or browser-claimed places from at least two distinct scanners (network identities), so
    /// one client's made-up coordinates never divert the bottle for everyone after it.
    /// </summary>
    private static bool PreviouslyOutside(IReadOnlyList<PastScan> history, SalesRegion region)
    {
        var outside = history.Where(p => p.Location.IsKnown && region.Contains(p.Location) == false).ToList();
        return outside.Any(p => p.Location.Source != LocationSource.Browser)
            || outside.Select(p => p.Scanner).Where(s => s is not null).Distinct(StringComparer.Ordinal).Count() >= 2;
    }

    /// <summary>
    /// Any pair of located scans (this one included) from two different scanners (network identities), farther apart
    /// than the top speed allows beyond both uncertainties. One scanner's own scans never pair: a single client claiming
    /// far-apart places is one identity lying, not a copy of the code. A distributor's warehouse receipt is custody, not a
    /// consumer scan: the bottle really was there, so it never pairs either (a receipt in Guangzhou and a consumer in
    /// Chengdu the next hour is a shipment, not a copy).
    /// </summary>
    private static bool ImpossibleTravel(VerdictInput input, VerdictPolicy policy)
    {
        var located = ConsumerScans(input.History).Where(p => p.Location.Point is not null).Select(p => (p.At, p.Location, p.Scanner)).ToList();
        if (input.Location.Point is not null)
        {
            located.Add((input.Now, input.Location, input.Scanner));
        }

        located.Sort((a, b) => a.At.CompareTo(b.At));
        for (var i = 1; i < located.Count; i++)
        {
            for (var j = Math.Max(0, i - 8); j < i; j++)
            {
                var (a, b) = (located[j], located[i]);
                if (a.Scanner is not null && string.Equals(a.Scanner, b.Scanner, StringComparison.Ordinal))
                {
                    continue;
                }

                var km = (a.Location.Point!.Value.DistanceToMeters(b.Location.Point!.Value) - (a.Location.AccuracyMeters ?? 0) - (b.Location.AccuracyMeters ?? 0)) / 1000;
                if (km < policy.MinTravelDistanceKm)
                {
                    continue;
                }

                var hours = Math.Abs((b.At - a.At).TotalHours);
                if (hours <= 0 || km / hours > policy.MaxTravelSpeedKmh)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A distributor handled the bottle as stock (a warehouse receipt) after its opening: trade never handles an opened bottle.</summary>
    private static bool InTradeAfter(VerdictInput input, DateTimeOffset openedAt) =>
        (input.Location.Source == LocationSource.Distributor && input.Now > openedAt)
        || input.History.Any(p => p.Location.Source == LocationSource.Distributor && p.At > openedAt);

    /// <summary>What a consumer is told about earlier scans: consumer scans only, never a distributor's warehouse receipts (their places are the distributor's, not public).</summary>
    private static ScanHistorySummary Summarise(VerdictInput input)
    {
        var consumers = ConsumerScans(input.History).ToList();
        var scanners = consumers.Select(p => p.Scanner).Append(input.Scanner).Where(s => s is not null).Distinct(StringComparer.Ordinal).Count();
        var first = consumers.Count > 0 ? consumers.MinBy(p => p.At)! : null;
        var firstPlace = first is null ? (input.Location.IsKnown && input.Location.Source != LocationSource.Distributor ? input.Location : null) : (first.Location.IsKnown ? first.Location : null);
        return new ScanHistorySummary(consumers.Count + 1, first?.At ?? input.Now, firstPlace, scanners);
    }

    private static IEnumerable<PastScan> ConsumerScans(IReadOnlyList<PastScan> history) => history.Where(p => p.Location.Source != LocationSource.Distributor);
}

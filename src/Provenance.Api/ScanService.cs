using System.Text.Json;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Api.Distribution;
using Provenance.Core.Codes;
using Provenance.Core.Records;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Api;

/// <summary>
/// Gathers the facts of a scan and lets <see cref="VerdictEngine"/> decide. The MAC is checked first, without
/// touching the database, so forged codes cost nothing and reveal nothing. Records the scan (coarsened location,
/// opaque scanner id) off the request path and raises alerts for unknown codes and clones; a diverted scan is weak
/// evidence for the producer (<see cref="ConsumerDiversion"/>), never a dealer alert by itself. Thread-safe.
/// </summary>
public sealed class ScanService(
    CodeAuthenticator codes, BottleFactsStore bottles, BottleReadModel readModel,
    ScanRecorder recorder, AlertService alerts, ConsumerDiversion diversion, IOptions<VerdictPolicy> policy, TimeProvider time, RegistryStore registry, ILedgerEngine ledger,
    ReadReplica replica)
{
    /// <summary>A consumer's scan of <paramref name="link"/>; <paramref name="record"/> false answers without recording it or raising alerts.</summary>
    public ScanResult Scan(DigitalLink link, string? scanner, ScanLocation? location = null, bool record = true)
    {
        ArgumentNullException.ThrowIfNull(link);
        var now = time.GetUtcNow();
        location ??= ScanLocation.None;
        if (!codes.Verify(link).IsAuthentic || link.Gtin is null || link.Serial is null)
        {
            return Result(VerdictEngine.Decide(new VerdictInput(false, now) { Location = location }, policy.Value), now);
        }

        return Judge(link.Gtin.Value.Value, link.Serial, link.Lot, scanner, location, now, record: record);
    }

    /// <summary>
    /// The verdict for a tag already authenticated — by its code's MAC, or by its NFC cap's SUN message
    /// (<paramref name="cap"/>) — recorded as a scan of the tag, with alerts.
    /// </summary>
    public ScanResult Judge(string gtin, string serial, string? lot, string? scanner, ScanLocation location, DateTimeOffset now, CapFacts? cap = null, bool record = true)
    {
        ArgumentNullException.ThrowIfNull(location);
        var facts = readModel.Get(gtin, serial, () => Load(gtin, serial), Settled);
        var coarse = location.Coarsened();
        var decision = VerdictEngine.Decide(new VerdictInput(true, now)
        {
            Tag = facts.Facts,
            History = facts.History,
            Shipment = facts.Shipment,
            Location = location,
            Scanner = scanner,
            Origin = facts.Origin,
            Cap = cap,
        }, policy.Value);
        if (record)
        {
            var scan = new ScanRecord(gtin, serial, now, ScanVerdicts.Name(decision.Verdict), coarse.Point?.Latitude, coarse.Point?.Longitude,
                Wire(coarse.Source), scanner, coarse.Country, coarse.Point is null ? null : coarse.AccuracyMeters);
            recorder.Record(scan);
            RaiseAlerts(gtin, serial, decision, facts, coarse, scanner, now);
        }

        return Describe(decision, facts, new ScannedCode(gtin, serial, facts.Tag?.Lot ?? lot), now, showDistributor: false, ledger.Name);
    }

    /// <summary>The answer for a genuine NFC chip that no seal event bound to a bottle.</summary>
    public ScanResult NotBound(CapFacts cap, ScanLocation location)
    {
        ArgumentNullException.ThrowIfNull(cap);
        var now = time.GetUtcNow();
        return Result(VerdictEngine.Decide(new VerdictInput(true, now) { Cap = cap, Location = location }, policy.Value), now);
    }

    /// <summary>The answer for a path that is not a valid code at all: indistinguishable from a forged one.</summary>
    public ScanResult Malformed()
    {
        var now = time.GetUtcNow();
        return Result(VerdictEngine.Decide(new VerdictInput(false, now), policy.Value), now);
    }

    /// <summary>
    /// A scan's facts: from the read replica when <see cref="ReadReplica"/> allows it and what it holds is settled, else
    /// from the primary. Only settled facts (sealed, proof recorded) are taken from the replica, so replay lag can make a
    /// recall or shipment by another process late, never a seal missing or a proof pending.
    /// </summary>
    private TagSituation Load(string gtin, string serial)
    {
        if (replica.MayRead(new TagKey(gtin, serial)))
        {
            try
            {
                var fromReplica = Situation(bottles.Find(gtin, serial, fromReplica: true));
                if (Settled(fromReplica))
                {
                    replica.Served();
                    return fromReplica;
                }
            }
            catch (System.Data.Common.DbException e)
            {
                replica.Failed(e);
            }

            replica.FellBack();
        }

        return Gather(gtin, serial);
    }

    /// <summary>Everything stored about a tag, for the engine, read from the primary database in one statement.</summary>
    public TagSituation Gather(string gtin, string serial) => Situation(bottles.Find(gtin, serial));

    private TagSituation Situation(BottleFacts stored)
    {
        if (stored.Tag is not { } tag)
        {
            return TagSituation.NotIssued with { LastVerdict = stored.History.LastOrDefault()?.Verdict };
        }

        var seal = stored.Seal;
        var voided = stored.Events.FirstOrDefault(e => e.Kind == TagEventStore.Voided);
        var recalled = stored.Events.FirstOrDefault(e => e.Kind == TagEventStore.Recalled);
        var opened = stored.Events.FirstOrDefault(e => e.Kind == TagEventStore.Opened);
        var facts = new TagFacts(true, seal is not null)
        {
            VoidedAt = voided?.At,
            Recall = recalled is null ? null : new RecallFacts(recalled.At, recalled.Reason, recalled.Serial is null),
            Opened = opened is null ? null : new OpenedFacts(opened.At, opened.Source ?? "retailer"),
        };
        var region = stored.Shipment is null ? null : RegionDto.FromJson(stored.Shipment.RegionJson);
        var shipment = region?.TryBuild(out _) is { } salesRegion ? new ShipmentFacts(stored.Shipment!.DistributorId, salesRegion) : null;
        var attestation = seal is null ? null : JsonSerializer.Deserialize(seal.AttestationJson, RecordJsonContext.Default.OriginAttestation);
        return new TagSituation(tag, seal, facts, stored.History.Select(BottleReadModel.ToPastScan).ToList(), shipment, region)
        {
            LastVerdict = stored.History.LastOrDefault()?.Verdict,
            Attestation = attestation,
            Origin = attestation is null ? null : OriginFacts.From(attestation, MetresOutside(seal!.SiteId, attestation)),
        };
    }

    /// <summary>
    /// Whether the read model may keep these facts: only a sealed bottle whose ledger proof is recorded, which nothing
    /// but a write through this process (recall, void, opening, shipment, receipt) changes any more.
    /// </summary>
    private bool Settled(TagSituation facts) => facts.Seal is { } seal && Proof(seal, ledger.Name).Status == LedgerProof.Recorded;

    /// <summary>How far outside its site's geofence a fix lay; looked up only for the (rare) seals outside it.</summary>
    private double? MetresOutside(string siteId, Core.Origin.OriginAttestation attestation) =>
        attestation is { InsideGeofence: false, Latitude: { } lat, Longitude: { } lon } && registry.FindSite(siteId) is { } site
            ? Math.Round(site.MetresOutside(new Core.Geo.GeoPoint(lat, lon)), 1)
            : null;

    /// <summary>Turns a decision and its facts into the JSON answer.</summary>
    public static ScanResult Describe(VerdictDecision decision, TagSituation facts, ScannedCode? code, DateTimeOffset now, bool showDistributor, string ledgerEngine)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(facts);
        var result = new ScanResult
        {
            Verdict = ScanVerdicts.Name(decision.Verdict),
            Message = VerdictMessage.For(decision, facts),
            MessageKey = decision.SentenceKey,
            ScannedAt = now,
            Reasons = decision.Reasons,
            Confidence = decision.Confidence.ToString().ToLowerInvariant(),
            LocationSource = Wire(decision.LocationSource),
            OriginConfidence = decision.OriginConfidence.ToString().ToLowerInvariant(),
        };
        if (decision.Verdict == ScanVerdict.Counterfeit)
        {
            return result;
        }

        var history = decision.History is { } h
            ? new ScanHistoryInfo(h.Count, h.FirstAt, h.FirstPlace is { } p ? new PlaceInfo(p.Coarsened().Point?.Latitude, p.Coarsened().Point?.Longitude, p.Country) : null)
            : null;
        result = result with { Code = code, History = history };
        if (facts.Tag is null)
        {
            return result;
        }

        result = result with
        {
            Product = new ProductInfo(facts.Tag.Gtin, facts.Tag.ProductName, facts.Tag.Brand),
            OpenedAt = facts.Facts.Opened?.At,
            Recall = facts.Facts.Recall is { } r ? new RecallInfo(r.At, r.Reason, r.WholeLot ? "lot" : "tag") : null,
            Shipment = facts.Shipment is { } s ? new ShipmentInfo(showDistributor ? s.DistributorId : null, facts.Region!.Summary()) : null,
        };
        if (facts.Seal is not { } seal)
        {
            return result;
        }

        var attestation = facts.Attestation ?? JsonSerializer.Deserialize(seal.AttestationJson, RecordJsonContext.Default.OriginAttestation);
        return result with
        {
            Origin = new OriginInfo(seal.SiteId, seal.SiteName, seal.GatewayId, seal.Line, seal.SealedAt, seal.SealType, attestation)
            {
                MetresOutsideGeofence = facts.Origin?.MetresOutsideGeofence,
            },
            Ledger = Proof(seal, ledgerEngine),
        };
    }

    /// <summary>
    /// The seal's proof on the ledger this installation writes to (its configured engine), or <c>pending</c> until
    /// that engine has recorded it; a proof of another engine is never shown in its place.
    /// </summary>
    private static LedgerProof Proof(StoredSeal seal, string ledgerEngine) => ledgerEngine switch
    {
        "fabric" when seal.LedgerTransactionId is { } txId =>
            new LedgerProof("fabric", seal.EventId, null, null) { TxId = txId, BlockNumber = seal.LedgerBlockNumber, Status = LedgerProof.Recorded },
        "embedded" when seal.LedgerIndex is not null =>
            new LedgerProof("embedded", seal.EventId, seal.LedgerIndex, seal.LedgerHash is null ? null : Convert.ToHexStringLower(seal.LedgerHash)) { Status = LedgerProof.Recorded },
        _ => new LedgerProof(ledgerEngine, seal.EventId, null, null) { Status = LedgerProof.Pending },
    };

    private void RaiseAlerts(string gtin, string serial, VerdictDecision decision, TagSituation facts, ScanLocation where, string? scanner, DateTimeOffset now)
    {
        if (decision.Verdict == ScanVerdict.Diverted)
        {
            // A consumer's scan is weak evidence of diversion and never alerts a dealer by itself; a scan that is diverted
            // only because a dealer's custody scan was outside the region was alerted when that scan happened.
            if (decision.Reasons.Contains(VerdictReasons.OutsideSalesRegion))
            {
                diversion.Record(gtin, serial, facts.Shipment?.DistributorId, scanner, where, now);
            }

            return;
        }

        var kind = decision.Verdict switch
        {
            ScanVerdict.Unknown => AlertService.Unknown,
            ScanVerdict.SuspectClone => AlertService.SuspectClone,
            _ => null,
        };
        if (kind is null || facts.LastVerdict == ScanVerdicts.Name(decision.Verdict))
        {
            return; // one alert per change of verdict, not one per scan
        }

        alerts.Raise(kind, gtin, serial, facts.Shipment?.DistributorId, new
        {
            verdict = ScanVerdicts.Name(decision.Verdict),
            reasons = decision.Reasons,
            scans = decision.History?.Count,
            confidence = decision.Confidence.ToString().ToLowerInvariant(),
            locationSource = Wire(where.Source),
            lat = where.Point?.Latitude,
            lon = where.Point?.Longitude,
            country = where.Country,
        });
    }

    internal static string Wire(LocationSource source) => source.ToString().ToLowerInvariant();

    private static ScanResult Result(VerdictDecision decision, DateTimeOffset now) =>
        Describe(decision, TagSituation.NotIssued, null, now, false, string.Empty);
}

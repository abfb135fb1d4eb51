using System.Text.Json;
using Microsoft.Extensions.Options;
using Provenance.Api.Alerts;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// A consumer's scan outside a bottle's sales region is weak evidence (people carry bottles: 购饮分离): it is recorded
/// for the producer (<c>GET /api/diversion/evidence</c>) and raises no dealer alert by itself. When, within
/// <see cref="CustodyOptions.WeakSignalWindow"/>, weak signals for one distributor come from at least
/// <see cref="CustodyOptions.WeakSignalsForModerate"/> distinct bottles and as many distinct scanners, they grade up
/// to one <c>moderate</c> alert naming that distributor, with the signals as evidence (once per window). Thread-safe.
/// </summary>
public sealed class ConsumerDiversion(DiversionEvidenceStore evidence, AlertService alerts, IOptions<CustodyOptions> options)
{
    private const int EvidenceInAlert = 20;

    /// <summary>Records a consumer scan of a bottle of <paramref name="distributorId"/> outside its region.</summary>
    public void Record(string gtin, string serial, string? distributorId, string? scanner, ScanLocation where, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(where);
        evidence.Add(new StoredEvidence(0, gtin, serial, distributorId, DiversionGrades.Weak, "consumer_scan", scanner, where.Point?.Latitude, where.Point?.Longitude, where.Country, now));
        var o = options.Value;
        if (distributorId is null || o.WeakSignalsForModerate == 0)
        {
            return;
        }

        var since = now - o.WeakSignalWindow;
        var signals = evidence.List(distributorId, null, null, since, 1_000);
        var bottles = signals.Select(s => (s.Gtin, s.Serial)).Distinct().Count();
        var scanners = signals.Select(s => s.Scanner).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        if (bottles < o.WeakSignalsForModerate || scanners < o.WeakSignalsForModerate)
        {
            return;
        }

        // Once per window, also when scans on several instances reach the threshold together: the check is the insert's.
        alerts.RaiseUnless(
            new AlertQuery(Kind: AlertService.Diverted, Since: since, DistributorId: distributorId, Limit: 1_000), a => IsGradedUp(a.DetailJson),
            AlertService.Diverted, null, null, distributorId, new
            {
                grade = DiversionGrades.Moderate,
                reason = DiversionGrades.RepeatedConsumerScans,
                responsibleDealer = distributorId,
                accountableDistributor = distributorId,
                bottles,
                scanners,
                since,
                evidence = signals.Take(EvidenceInAlert).Select(s => new
                {
                    kind = DiversionGrades.ConsumerScanOutsideRegion,
                    gtin = s.Gtin,
                    serial = s.Serial,
                    lat = s.Lat,
                    lon = s.Lon,
                    country = s.Country,
                    at = s.At,
                }),
            });
    }

    private static bool IsGradedUp(string detailJson)
    {
        using var detail = JsonDocument.Parse(detailJson);
        return detail.RootElement is { ValueKind: JsonValueKind.Object } d
            && d.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == DiversionGrades.RepeatedConsumerScans;
    }
}

using Provenance.Api.Alerts;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Distribution;

/// <summary>
/// Trade never handles an opened bottle: a distributor receiving a bottle whose opening was already recorded (its inner
/// code scanned, or an opening reported) is handling a bottle that may have been refilled and recapped. Raises one
/// <c>suspect_refill</c> alert per such bottle and receipt, for the producer and the distributor that owns the bottle.
/// The bottle's later scans are <c>suspect_refill</c> through the verdict engine (the receipt is in its history). Thread-safe.
/// </summary>
public sealed class RefillCheck(TagEventStore events, ShipmentStore shipments, AlertService alerts)
{
    /// <summary>Checks the bottles of one receipt line received by <paramref name="receiver"/> at <paramref name="place"/>.</summary>
    public void Check(IEnumerable<TagKey> bottles, string receiver, object place, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bottles);
        foreach (var bottle in bottles)
        {
            // Seal-opened events always name a single tag, so the tag's own events are enough.
            var opened = events.For(bottle.Gtin, bottle.Serial, lot: null).FirstOrDefault(e => e.Kind == TagEventStore.Opened);
            if (opened is null || opened.At >= now)
            {
                continue;
            }

            var owner = shipments.FindForTag(bottle.Gtin, bottle.Serial)?.DistributorId;
            alerts.Raise(AlertService.SuspectRefill, bottle.Gtin, bottle.Serial, owner, new
            {
                verdict = ScanVerdicts.Name(ScanVerdict.SuspectRefill),
                reasons = new[] { VerdictReasons.InTradeAfterOpened },
                openedAt = opened.At,
                openedBy = opened.Source,
                owner,
                receiver,
                place,
            });
        }
    }
}

using Microsoft.Extensions.Logging;
using Provenance.Api.Alerts;
using Provenance.Api.Epcis;
using Provenance.Core.Codes;
using Provenance.Core.Epcis;
using Provenance.Core.Verdicts;
using Provenance.Storage;
using Provenance.Storage.Epcis;

namespace Provenance.Api.InnerCodes;

/// <summary>
/// A scan of a bottle's inner (under-cap) code. The MAC is checked first, under the inner-code key, without touching the
/// database; a code that fails it, or that verifies but was never issued, gets exactly the answer of a forged outer code,
/// so nothing can be learnt by trying codes. The first scan of a genuine inner code is the bottle's opening: recorded once
/// (server time, the scan's coarse place) with its seal-opened tag event and EPCIS event; every later scan answers when and
/// roughly where that was. The verdict itself comes from <see cref="ScanService.Judge"/>, as for the outer code. Thread-safe.
/// </summary>
public sealed partial class InnerCodeScanService(
    InnerCodeAuthenticator codes, TagStore tags, InnerOpeningStore openings, ScanService scans, AlertService alerts, LifecycleEvents epcis,
    TimeProvider time, ILogger<InnerCodeScanService> logger)
{
    /// <summary>The answer for <paramref name="link"/>; <paramref name="record"/> false answers from what is stored, recording nothing.</summary>
    public ScanResult Scan(DigitalLink link, string? scanner, ScanLocation location, bool record = true)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(location);
        var verification = codes.Verify(link);
        if (!verification.IsAuthentic || link.Gtin is null || link.Serial is null)
        {
            LogRefused(verification.Status);
            return scans.Malformed();
        }

        var gtin = link.Gtin.Value.Value;
        var serial = link.Serial;
        var tag = tags.Find(gtin, serial);
        if (tag is null)
        {
            if (record)
            {
                // Only a leaked key or lost registry data makes a genuine inner code that was never issued: the producer must know.
                alerts.Raise(AlertService.Unknown, gtin, serial, null, new { verdict = "unknown", reasons = new[] { VerdictReasons.NotIssued }, code = "inner" });
                LogNotIssued(gtin, serial);
            }

            return scans.Malformed();
        }

        var now = time.GetUtcNow();
        var coarse = location.Coarsened();
        InnerOpening? opening;
        var first = false;
        if (record)
        {
            var bottle = Epc.ForBottle(gtin, serial);
            var opened = epcis.Opened(now, [bottle], OpenedFacts.InnerCode, null);
            (opening, first) = openings.Open(
                new InnerOpening(gtin, serial, now, coarse.Point?.Latitude, coarse.Point?.Longitude, coarse.Country, 1),
                new TagEvent(TagEventStore.Opened, gtin, serial, null, now, null, OpenedFacts.InnerCode),
                EpcisEventRow.FromEvent(opened, epcis.Names.Prefixes, EpcisSources.Producer));
            if (first)
            {
                LogOpened(gtin, serial);
            }
        }
        else
        {
            opening = openings.Find(gtin, serial);
        }

        var result = scans.Judge(gtin, serial, tag.Lot, scanner, location, now, record: record);
        if (opening is null)
        {
            return result;
        }

        var place = opening.Latitude is null && opening.Country is null ? null : new PlaceInfo(opening.Latitude, opening.Longitude, opening.Country);
        result = result with { InnerCode = new InnerCodeInfo(true, opening.OpenedAt, place, opening.Scans) };
        return first ? result : AsSeenLater(result);
    }

    /// <summary>The answer a later scan of the same inner code gets: not the first scan, and the reason saying the code was used before.</summary>
    public static ScanResult AsSeenLater(ScanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.InnerCode is not { FirstScan: true } info
            ? result
            : result with { InnerCode = info with { FirstScan = false }, Reasons = [VerdictReasons.InnerCodeUsedBefore, .. result.Reasons] };
    }

    [LoggerMessage(EventId = 9600, Level = LogLevel.Debug, Message = "Inner code refused: {Status}")]
    private partial void LogRefused(CodeVerificationStatus status);

    [LoggerMessage(EventId = 9601, Level = LogLevel.Warning, Message = "Inner code of {Gtin}/{Serial} verifies but the tag was never issued: a leaked code key or lost registry data")]
    private partial void LogNotIssued(string gtin, string serial);

    [LoggerMessage(EventId = 9602, Level = LogLevel.Information, Message = "Inner code of {Gtin}/{Serial} scanned for the first time: the bottle is recorded as opened")]
    private partial void LogOpened(string gtin, string serial);
}

using Microsoft.Extensions.Logging;
using Provenance.Core.Nfc;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Nfc;

/// <summary>
/// A tap of an NFC cap: verifies the SUN message (no database until the MAC holds), moves the chip's read counter
/// forward (a replayed or rolled-back counter is a suspect clone), records the first open tamper loop as a
/// seal-opened event, finds the bottle the chip was bound to at the line and lets the verdict engine decide, exactly
/// as for the bottle's printed code. Thread-safe.
/// </summary>
public sealed partial class NfcScanService(SunVerifier verifier, NfcTapStore taps, TagEventStore events, ScanService scans, TimeProvider time, ILogger<NfcScanService> logger)
{
    public const string OpenedSource = "nfc";

    public ScanResult Tap(string? keyIdSegment, string? query, string? scanner, ScanLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var verification = verifier.Verify(keyIdSegment, query);
        if (!verification.IsAuthentic)
        {
            LogRefused(verification.Status, verification.Error);
            return scans.Malformed();
        }

        var uid = verification.Uid!;
        var now = time.GetUtcNow();
        var counter = taps.Advance(uid, verification.KeyId, verification.ReadCounter, TamperStatuses.Name(verification.Tamper), now);
        if (counter.State != CapCounter.Fresh)
        {
            LogStaleCounter(uid, verification.ReadCounter, counter.Previous ?? 0, counter.State);
        }

        var binding = taps.FindBinding(uid);
        var cap = new CapFacts(counter.State, verification.Tamper, binding is not null, verification.ReadCounter);
        var info = new CapInfo(TamperStatuses.Name(verification.Tamper), verification.ReadCounter);
        if (binding is null)
        {
            LogNotBound(uid, verification.KeyId);
            return scans.NotBound(cap, location) with { Cap = info };
        }

        if (counter.State == CapCounter.Fresh && TamperStatuses.SaysOpened(verification.Tamper))
        {
            RecordOpened(binding, now);
        }

        return scans.Judge(binding.Gtin, binding.Serial, null, scanner, location, now, cap) with { Cap = info };
    }

    /// <summary>The first tap that finds the loop open is the bottle's seal-opened event, as a retailer's report would be.</summary>
    private void RecordOpened(NfcBinding binding, DateTimeOffset now)
    {
        // Seal-opened events name single tags, never lots, so the tag's own events are enough.
        if (events.For(binding.Gtin, binding.Serial, lot: null).Any(e => e.Kind == TagEventStore.Opened))
        {
            return;
        }

        events.Add([new TagEvent(TagEventStore.Opened, binding.Gtin, binding.Serial, null, now, null, OpenedSource)]);
        LogOpened(binding.Gtin, binding.Serial);
    }

    [LoggerMessage(EventId = 9500, Level = LogLevel.Debug, Message = "NFC tap refused: {Status} ({Error})")]
    private partial void LogRefused(SunStatus status, string? error);

    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning, Message = "NFC chip {Uid} presented read counter {Counter}, not above the last accepted {Last}: {State} (suspect clone)")]
    private partial void LogStaleCounter(string uid, int counter, int last, CapCounter state);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "Genuine NFC chip {Uid} (key id {KeyId}) was tapped but no seal event bound it to a bottle")]
    private partial void LogNotBound(string uid, int keyId);

    [LoggerMessage(EventId = 9503, Level = LogLevel.Information, Message = "NFC cap of tag {Gtin}/{Serial} reports its tamper loop opened; recorded as a seal-opened event")]
    private partial void LogOpened(string gtin, string serial);
}

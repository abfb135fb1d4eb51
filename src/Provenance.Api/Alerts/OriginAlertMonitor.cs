using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Core.Records;
using Provenance.Core.Verdicts;
using Provenance.Storage.Journal;

namespace Provenance.Api.Alerts;

/// <summary>
/// Tells the producer at once when a gateway seals outside its geofence or without a usable fix: follows the journal's
/// seal entries from a cursor of its own (<see cref="CursorName"/>, persisted, so a restart neither repeats nor
/// skips) and raises an <see cref="AlertService.OriginNotAttested"/> alert (feed and webhook) for a seal whose origin
/// was not attested, at most one per gateway per <see cref="OriginAlertOptions.PerGatewayInterval"/> unless a new
/// kind of failure appears. The rate limit lives in memory: after a restart each gateway may alert once more.
/// Runs on one background task.
/// </summary>
public sealed partial class OriginAlertMonitor(
    JournalStore journal, AlertService alerts, IOptions<OriginAlertOptions> options, TimeProvider time, ILogger<OriginAlertMonitor> logger)
    : BackgroundService
{
    public const string CursorName = "origin-alerts";
    private const int Batch = 2000;

    private readonly Dictionary<string, GatewayWindow> _windows = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var read = ReadOnce(o);
                if (read < Batch)
                {
                    await Task.Delay(o.PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the cursor says where to resume.
        }
    }

    /// <summary>Reads one batch of seals after the cursor, raises what is due, moves the cursor; returns how many entries were read.</summary>
    internal int ReadOnce(OriginAlertOptions o)
    {
        var entries = journal.ReadAfter(journal.Cursor(CursorName), Batch, JournalEntry.SealKind);
        foreach (var entry in entries)
        {
            ProvenanceRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(entry.Body, RecordJsonContext.Default.ProvenanceRecord);
            }
            catch (JsonException e)
            {
                LogUnreadable(e, entry.Position);
                continue;
            }

            if (record is { Attestation.Attested: false })
            {
                Consider(record, o);
            }
        }

        if (entries.Count > 0)
        {
            journal.SetCursor(CursorName, entries[^1].Position);
        }

        return entries.Count;
    }

    private void Consider(ProvenanceRecord record, OriginAlertOptions o)
    {
        var now = time.GetUtcNow();
        var failures = record.Attestation.Failures;
        var window = _windows.TryGetValue(record.GatewayId, out var w) ? w : _windows[record.GatewayId] = new GatewayWindow();
        window.Seals++;
        var newKind = failures.Any(f => !window.Failures.Contains(f));
        if (window.LastAlertAt is { } last && now - last < o.PerGatewayInterval && !newKind)
        {
            return;
        }

        var a = record.Attestation;
        alerts.Raise(AlertService.OriginNotAttested, record.Gtin, record.Serial, null, new
        {
            gatewayId = record.GatewayId,
            siteId = record.SiteId,
            line = record.Line,
            eventId = record.EventId,
            sealedAt = record.SealedAt,
            failures,
            benign = failures.All(OriginFailureKinds.IsBenign),
            distanceM = a.DistanceMeters,
            insideGeofence = a.InsideGeofence,
            fixAgeS = a.FixAgeSeconds,
            hdop = a.Hdop,
            sats = a.SatellitesUsed,
            bdsSats = a.BeiDouSatellitesUsed,
            sealsSincePreviousAlert = window.Seals,
        });
        LogRaised(record.GatewayId, string.Join(',', failures), window.Seals);
        window.LastAlertAt = now;
        window.Failures = [.. failures];
        window.Seals = 0;
    }

    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, Message = "Gateway {GatewayId} sealed without an attested origin ({Failures}); {Seals} such seal(s) since its previous alert")]
    private partial void LogRaised(string gatewayId, string failures, int seals);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Error, Message = "Journal seal entry {Position} is not a provenance record; skipped by the origin alerts")]
    private partial void LogUnreadable(Exception exception, long position);

    private sealed class GatewayWindow
    {
        public DateTimeOffset? LastAlertAt { get; set; }

        public HashSet<string> Failures { get; set; } = new(StringComparer.Ordinal);

        public int Seals { get; set; }
    }
}

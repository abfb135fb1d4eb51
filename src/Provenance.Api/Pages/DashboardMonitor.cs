using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Core.Records;
using Provenance.Storage;
using Provenance.Storage.Journal;

namespace Provenance.Api.Pages;

/// <summary>
/// Keeps the dashboard's figures for the last hour in memory and brings them up to date from the journal on each
/// request, reading only the entries appended since the previous one (a cursor of its own, not a sink's). The first
/// request starts from the journal position of one hour ago. Thread-safe (one lock; a refresh reads at most
/// <see cref="MaxEntriesPerRefresh"/> entries, so a request never stalls on a long backlog).
/// </summary>
public sealed class DashboardMonitor(DashboardStore store, JournalStore journal, CodeAuthenticator codes, TimeProvider time)
{
    public const int MaxEntriesPerRefresh = 50_000;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public static readonly TimeSpan OnlineWithin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Site, string Line), SortedDictionary<long, long>> _seals = [];
    private readonly Dictionary<(string Site, string Line), SortedDictionary<long, long>> _unattested = [];
    private readonly Dictionary<string, SortedDictionary<long, FixBucket>> _fixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GnssSample> _lastFix = new(StringComparer.Ordinal);
    private long? _cursor;

    /// <summary>The figures now, for pages that link to a code on <paramref name="authority"/> (host[:port]) with <paramref name="scheme"/>.</summary>
    public DashboardSnapshot Snapshot(string authority, string scheme)
    {
        var now = time.GetUtcNow();
        var since = now - Window;
        lock (_gate)
        {
            Refresh(since);
            Prune(since);
            var lines = _seals.OrderBy(l => l.Key.Site, StringComparer.Ordinal).ThenBy(l => l.Key.Line, StringComparer.Ordinal)
                .Select(l => Line(l.Key, l.Value, now))
                .ToList();
            var gateways = store.Gateways().Where(g => g.RevokedAt is null).Select(g => Gateway(g, now)).ToList();
            var failures = store.OriginFailures(20).Select(f => Failure(f, authority, scheme)).ToList();
            return new DashboardSnapshot(now, (int)Window.TotalMinutes, lines.Sum(l => l.LastHour), lines.Sum(l => l.LastMinute), lines, gateways, failures);
        }
    }

    private void Refresh(DateTimeOffset since)
    {
        _cursor ??= store.JournalPositionBefore(since);
        var read = 0;
        while (read < MaxEntriesPerRefresh)
        {
            var entries = journal.ReadAfter(_cursor.Value, 5000);
            foreach (var entry in entries)
            {
                Apply(entry, since);
            }

            read += entries.Count;
            if (entries.Count == 0)
            {
                break;
            }

            _cursor = entries[^1].Position;
        }
    }

    private void Apply(JournalEntry entry, DateTimeOffset since)
    {
        if (entry.Kind is not (JournalEntry.SealKind or JournalEntry.FixKind))
        {
            return;
        }

        using var document = JsonDocument.Parse(entry.Body);
        var body = document.RootElement;
        if (entry.Kind == JournalEntry.SealKind)
        {
            if (body.Time("sealedAt") is { } sealedAt && sealedAt >= since && body.String("siteId") is { } site && body.String("line") is { } line)
            {
                var minute = sealedAt.UtcTicks - (sealedAt.UtcTicks % TimeSpan.TicksPerMinute);
                Count(_seals, (site, line), minute);
                if (body.Object("attestation")?.Boolean("attested") != true)
                {
                    Count(_unattested, (site, line), minute);
                }
            }

            return;
        }

        if (body.String("gateway") is not { } gateway || body.Object("fix") is not { } fix || fix.Time("time") is not { } at)
        {
            return;
        }

        var sample = new GnssSample(at, fix.Number("lat"), fix.Number("lon"), fix.Number("hdop"), fix.Number("sats"), fix.Number("bdsSats"), body.Boolean("insideGeofence"), body.Number("distanceM"));
        if (!_lastFix.TryGetValue(gateway, out var last) || last.Time <= at)
        {
            _lastFix[gateway] = sample;
        }

        if (at >= since)
        {
            var buckets = _fixes.TryGetValue(gateway, out var b) ? b : _fixes[gateway] = [];
            var key = at.UtcTicks - (at.UtcTicks % Bucket.Ticks);
            (buckets.TryGetValue(key, out var bucket) ? bucket : buckets[key] = new FixBucket()).Add(sample);
        }
    }

    private void Prune(DateTimeOffset since)
    {
        var cut = since.UtcTicks;
        foreach (var minutes in _seals.Values.Concat(_unattested.Values))
        {
            foreach (var key in minutes.Keys.Where(k => k < cut - TimeSpan.TicksPerMinute).ToList())
            {
                minutes.Remove(key);
            }
        }

        foreach (var buckets in _fixes.Values)
        {
            foreach (var key in buckets.Keys.Where(k => k < cut).ToList())
            {
                buckets.Remove(key);
            }
        }
    }

    private GatewayState Gateway(GatewayActivity g, DateTimeOffset now)
    {
        var lastFix = _lastFix.GetValueOrDefault(g.GatewayId) ?? StoredFix(g.RecentFixesJson);
        var history = _fixes.TryGetValue(g.GatewayId, out var buckets) ? buckets.Select(b => b.Value.Average(new DateTimeOffset(b.Key, TimeSpan.Zero))).ToList() : [];
        var lastContact = new[] { g.LastMessageAt, g.FixesUpdatedAt }.Max();
        var status = g.LastStatus == "offline" && (lastContact is null || g.LastStatusAt >= lastContact) ? "offline"
            : lastContact is { } contact && now - contact <= OnlineWithin ? "online"
            : g.LastStatus == "online" ? "online"
            : lastContact is null && g.LastStatus is null ? "unknown" : "offline";
        var reported = g.ReportedTwinJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(g.ReportedTwinJson) as System.Text.Json.Nodes.JsonObject;
        return new GatewayState(g.GatewayId, g.SiteId, g.SiteName, status, g.LastStatus, g.LastStatusAt, lastContact, lastFix, history,
            reported is null ? null : Core.Twins.GatewayTwinSettings.ReportedFirmware(reported), reported is null ? null : Core.Twins.GatewayTwinSettings.ReportedQueueDepth(reported));
    }

    private static GnssSample? StoredFix(string? fixesJson)
    {
        if (fixesJson is null)
        {
            return null;
        }

        var fix = JsonSerializer.Deserialize(fixesJson, RecordJsonContext.Default.ListGnssFix)?.MaxBy(f => f.Time);
        return fix is null ? null : new GnssSample(fix.Time, fix.Latitude, fix.Longitude, fix.Hdop, fix.SatellitesUsed, fix.BeiDouSatellitesUsed, null, null);
    }

    private OriginFailureAlert Failure(OriginFailureSeal seal, string authority, string scheme)
    {
        var attestation = JsonSerializer.Deserialize(seal.AttestationJson, RecordJsonContext.Default.OriginAttestation);
        string? url = null;
        if (Gtin.TryParse(seal.Gtin, out var gtin, out _))
        {
            url = new Uri(codes.Sign(DigitalLink.ForTag(authority, gtin, seal.Serial, seal.Lot, scheme))).PathAndQuery;
        }

        return new OriginFailureAlert(seal.EventId, seal.Gtin, seal.Serial, seal.SiteId, seal.GatewayId, seal.Line, seal.SealedAt,
            attestation?.Failures ?? [], url, seal.LedgerIndex, seal.LedgerHash is null ? null : Convert.ToHexStringLower(seal.LedgerHash));
    }

    private LineSeals Line((string Site, string Line) key, SortedDictionary<long, long> minutes, DateTimeOffset now)
    {
        var total = minutes.Values.Sum();
        var unattested = _unattested.TryGetValue(key, out var u) ? u.Values.Sum() : 0;
        return new LineSeals(key.Site, key.Line, total, CountSince(minutes, now.AddMinutes(-1)),
            minutes.Select(m => new MinuteCount(new DateTimeOffset(m.Key, TimeSpan.Zero), m.Value)).ToList())
        {
            AttestedLastHour = total - unattested,
            UnattestedLastHour = unattested,
        };
    }

    private static void Count(Dictionary<(string Site, string Line), SortedDictionary<long, long>> counts, (string Site, string Line) key, long minute)
    {
        var minutes = counts.TryGetValue(key, out var m) ? m : counts[key] = [];
        minutes[minute] = minutes.GetValueOrDefault(minute) + 1;
    }

    private static long CountSince(SortedDictionary<long, long> minutes, DateTimeOffset from) =>
        minutes.Where(m => m.Key + TimeSpan.TicksPerMinute > from.UtcTicks).Sum(m => m.Value);

    /// <summary>Running sums of the fixes in one history bucket.</summary>
    private sealed class FixBucket
    {
        private int _count;
        private double _hdop;
        private int _hdopCount;
        private double _sats;
        private double _bds;
        private bool _allInside = true;

        public void Add(GnssSample fix)
        {
            _count++;
            if (fix.Hdop is { } hdop)
            {
                _hdop += hdop;
                _hdopCount++;
            }

            _sats += fix.SatellitesUsed ?? 0;
            _bds += fix.BeiDouSatellitesUsed ?? 0;
            _allInside &= fix.InsideGeofence ?? false;
        }

        public GnssSample Average(DateTimeOffset at) => new(at, null, null, _hdopCount == 0 ? null : Math.Round(_hdop / _hdopCount, 2),
            Math.Round(_sats / _count, 1), Math.Round(_bds / _count, 1), _allInside, null);
    }
}

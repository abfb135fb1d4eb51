using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// The scan read model: a bounded in-memory map from bottle to its verdict facts (<see cref="TagSituation"/>) and
/// recent scans, so a repeat scan of a bottle is one dictionary lookup and no SQL. Only settled bottles are kept
/// (issued, sealed, ledger proof recorded); a bottle that may still change by ingestion alone (unknown, unsealed,
/// proof pending) is read from the database every time. Recalls, voids, openings, shipments, receipts and pruning
/// committed through this process drop the bottles they touch before their call returns
/// (<see cref="TagChangeFeed"/>), and a load that raced with such a drop is not kept, so a scan never sees facts older
/// than a write that has returned. Writes by another process are seen within <see cref="ScanReadModelOptions.MaxAge"/>.
/// Scans recorded here are appended to the bottle's history at once, ahead of the batched write. Thread-safe.
/// </summary>
public sealed class BottleReadModel : IDisposable
{
    private const int HistoryLimit = 200;
    private const int Stripes = 4096;
    private const int TrimSample = 512;

    private readonly ConcurrentDictionary<TagKey, Entry> _entries = new();
    private readonly long[] _stamps = new long[Stripes];
    private readonly ProvenanceDatabase _database;
    private readonly ApiMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _max;
    private readonly long _maxAgeTicks;
    private long _generation;
    private int _count;
    private int _trimming;

    public BottleReadModel(ProvenanceDatabase database, IOptions<ScanReadModelOptions> options, ApiMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _metrics = metrics;
        _time = time;
        _max = options.Value.MaxBottles;
        _maxAgeTicks = (long)(options.Value.MaxAge.TotalSeconds * time.TimestampFrequency);
        database.TagChanges.Changed += OnChanged;
        metrics.Meter.CreateObservableGauge("provenance.scans.read_model.bottles", () => Volatile.Read(ref _count), "{bottle}", "Bottles whose verdict facts are held in memory");
    }

    /// <summary>Bottles held now (approximate while writers race).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The bottle's facts: from memory when held and fresh, else <paramref name="load"/>, kept when <paramref name="settled"/> says so.</summary>
    public TagSituation Get(string gtin, string serial, Func<TagSituation> load, Func<TagSituation, bool> settled)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(settled);
        var key = new TagKey(gtin, serial);
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(key, out var held) && now - held.LoadedAt < _maxAgeTicks)
        {
            held.LastUsed = now;
            _metrics.ReadModel(hit: true);
            return held.Situation();
        }

        _metrics.ReadModel(hit: false);
        var stripe = Stripe(key);
        var stamp = Volatile.Read(ref _stamps[stripe]);
        var generation = Volatile.Read(ref _generation);
        var loaded = load();
        if (_max == 0 || !settled(loaded))
        {
            return loaded;
        }

        var entry = new Entry(loaded, now);
        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[key] = entry; // replaces one past MaxAge
        }

        // A change committed while we read may have dropped the key before we added it: then what we read may be old.
        if (Volatile.Read(ref _stamps[stripe]) != stamp || Volatile.Read(ref _generation) != generation)
        {
            Remove(key, entry);
        }
        else if (Volatile.Read(ref _count) > _max)
        {
            Trim();
        }

        return loaded;
    }

    /// <summary>A scan (or a distributor's receipt) of a held bottle, recorded: appended to its history so the next scan sees it before the batch is written.</summary>
    public void Recorded(ScanRecord scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (_entries.TryGetValue(new TagKey(scan.Gtin, scan.Serial), out var held))
        {
            held.Add(ToPastScan(scan), scan.Verdict);
        }
    }

    /// <summary>A stored scan as the verdict engine sees it.</summary>
    internal static PastScan ToPastScan(ScanRecord r)
    {
        var source = r.LocationSource switch { "browser" => LocationSource.Browser, "ip" => LocationSource.Ip, "distributor" => LocationSource.Distributor, _ => LocationSource.None };
        var point = r.Latitude is { } lat && r.Longitude is { } lon ? new Core.Geo.GeoPoint(lat, lon) : (Core.Geo.GeoPoint?)null;
        // Distributors' receipts are not consumer scanners: they do not count towards the distinct-scanner limit.
        return new PastScan(r.ScannedAt, new ScanLocation(source, point, r.AccuracyMeters, r.Country), source == LocationSource.Distributor ? null : r.Scanner);
    }

    public void Dispose() => _database.TagChanges.Changed -= OnChanged;

    private void OnChanged(object? sender, TagsChangedEventArgs change)
    {
        if (change.All)
        {
            Interlocked.Increment(ref _generation);
            foreach (var key in _entries.Keys)
            {
                if (_entries.TryRemove(key, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            return;
        }

        foreach (var key in change.Tags)
        {
            Interlocked.Increment(ref _stamps[Stripe(key)]);
            if (_entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private bool Remove(TagKey key, Entry entry)
    {
        if (!_entries.TryRemove(KeyValuePair.Create(key, entry)))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>
    /// Drops about the least recently used tenth (one thread at a time; the others carry on). The cut-off is the matching
    /// quantile of a sample of the entries' last use (exact up to <see cref="TrimSample"/> bottles), then one pass removes
    /// entries at or below it: sorting every entry on each trim was about 5% of a cold scan walk's CPU at 20,000 bottles.
    /// </summary>
    private void Trim()
    {
        if (Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        try
        {
            var count = Volatile.Read(ref _count);
            var drop = count - (_max - (_max / 10));
            if (drop <= 0)
            {
                return;
            }

            Span<long> sample = stackalloc long[TrimSample];
            var sampled = 0;
            foreach (var pair in _entries)
            {
                sample[sampled++] = pair.Value.LastUsed;
                if (sampled == TrimSample)
                {
                    break;
                }
            }

            if (sampled == 0)
            {
                return;
            }

            sample = sample[..sampled];
            sample.Sort();
            var cutoff = sample[Math.Clamp((int)Math.Ceiling((double)drop * sampled / Math.Max(count, sampled)) - 1, 0, sampled - 1)];
            var dropped = 0;
            foreach (var pair in _entries)
            {
                if (pair.Value.LastUsed <= cutoff && Remove(pair.Key, pair.Value) && ++dropped == drop)
                {
                    break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private static int Stripe(TagKey key) => (int)((uint)key.GetHashCode() % Stripes);

    /// <summary>One bottle's facts as loaded, and its history as it grows with the scans recorded since.</summary>
    private sealed class Entry(TagSituation loaded, long now)
    {
        // The attestation is held parsed; its JSON text (the largest part of a seal) is not kept twice.
        private readonly TagSituation _facts = loaded is { Seal: { } seal, Attestation: not null } ? loaded with { Seal = seal with { AttestationJson = string.Empty } } : loaded;
        private readonly List<PastScan> _history = [.. loaded.History];
        private string? _lastVerdict = loaded.LastVerdict;

        public long LoadedAt { get; } = now;

        public long LastUsed { get; set; } = now;

        public TagSituation Situation()
        {
            lock (_history)
            {
                return _facts with { History = _history.ToArray(), LastVerdict = _lastVerdict };
            }
        }

        public void Add(PastScan scan, string verdict)
        {
            lock (_history)
            {
                if (_history.Count >= HistoryLimit)
                {
                    _history.RemoveAt(0);
                }

                _history.Add(scan);
                _lastVerdict = verdict;
            }
        }
    }
}

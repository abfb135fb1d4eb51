using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Provenance.Api.Http;

namespace Provenance.Api;

/// <summary>
/// How often one code is looked up fresh (and recorded), whoever scans it: <see cref="ApiOptions.ScansPerCodePerMinute"/>.
/// When a code's budget is spent, scans of it are answered with its latest verdict from a small cache (bounded in
/// entries, a minute at most) and not recorded, so flooding one bottle's code costs the server little and still
/// lets every consumer check it. Thread-safe.
/// </summary>
public sealed class ScanBudget : IDisposable
{
    /// <summary>Most codes whose verdicts are cached at once.</summary>
    public const int MaxCachedCodes = 20_000;

    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly KeyedTokenBuckets _perCode;
    private readonly TokenBucketRateLimiterOptions _shape;
    private readonly MemoryCache _verdicts = new(new MemoryCacheOptions { SizeLimit = MaxCachedCodes });
    private readonly ApiMetrics _metrics;

    public ScanBudget(IOptions<ApiOptions> options, ApiMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _shape = RateLimits.Bucket(options.Value.ScansPerCodePerMinute);
        _perCode = new KeyedTokenBuckets(time);
        _metrics = metrics;
    }

    /// <summary>
    /// Takes one fresh lookup of <paramref name="code"/> from its budget; false when the budget is spent.
    /// <paramref name="runningOut"/>: at most one fresh lookup is left, so the caller should <see cref="Remember"/> this
    /// one's verdict for the scans that will come over budget. Verdicts are kept only then: a code's budget can only run
    /// out through such a lookup, and most codes are scanned a few times and never come near it.
    /// </summary>
    public bool TryTakeFresh(string code, out bool runningOut)
    {
        var fresh = _perCode.TryTake(code, _shape, out var remaining, out _);
        runningOut = fresh && remaining <= 1;
        return fresh;
    }

    /// <summary>The answer for a scan over budget: the cached verdict, else <paramref name="lookUp"/> (not recorded) cached for the next ones.</summary>
    public ScanResult OverBudget(string code, Func<ScanResult> lookUp)
    {
        ArgumentNullException.ThrowIfNull(lookUp);
        _metrics.CachedScan();
        if (_verdicts.TryGetValue(code, out ScanResult? cached) && cached is not null)
        {
            return cached;
        }

        var result = lookUp();
        Remember(code, result);
        return result;
    }

    /// <summary>Keeps a fresh verdict for the scans that come over budget.</summary>
    public void Remember(string code, ScanResult result) =>
        _verdicts.Set(code, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });

    public void Dispose() => _verdicts.Dispose();
}

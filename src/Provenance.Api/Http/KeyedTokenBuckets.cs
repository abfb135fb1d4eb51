using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Provenance.Api.Http;

/// <summary>
/// Token buckets by key (one per scanned code, or per code and client), refilled when their key is next used: no timer
/// and no walk over every key ten times a second. The framework's partitioned limiter does that walk, and with a bucket
/// per scanned code it took about a sixth of the CPU of a process serving scans. A bucket refills as
/// <see cref="TokenBucketRateLimiter"/> does: <see cref="TokenBucketRateLimiterOptions.TokensPerPeriod"/> tokens per
/// whole period elapsed since its last refill, up to <see cref="TokenBucketRateLimiterOptions.TokenLimit"/>. A bucket back
/// at its limit is the same as a new one, so a sweep (at most once per <see cref="SweepInterval"/>, off the request
/// path) drops those. Thread-safe.
/// </summary>
public sealed class KeyedTokenBuckets
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _sweepTicks;
    private long _nextSweep;
    private int _sweeping;

    public KeyedTokenBuckets(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _sweepTicks = (long)(SweepInterval.TotalSeconds * time.TimestampFrequency);
        _nextSweep = time.GetTimestamp() + _sweepTicks;
    }

    /// <summary>Buckets held now: keys used recently enough that their bucket is not full again.</summary>
    public int Count => _buckets.Count;

    /// <summary>
    /// Takes one token from <paramref name="key"/>'s bucket (created full, shaped by <paramref name="shape"/>);
    /// <paramref name="remaining"/> is what is left after it. False when the bucket is empty, with
    /// <paramref name="retryAfter"/> until its next refill.
    /// </summary>
    public bool TryTake(string key, TokenBucketRateLimiterOptions shape, out int remaining, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shape);
        var now = _time.GetTimestamp();
        MaybeSweep(now);
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Shape, state.Now, state.Frequency), (Shape: shape, Now: now, Frequency: _time.TimestampFrequency));
            lock (bucket)
            {
                if (bucket.Dropped)
                {
                    continue; // the sweep took it away between the lookup and the lock: use the one that replaces it
                }

                bucket.Refill(now);
                if (bucket.Tokens > 0)
                {
                    bucket.Tokens--;
                    remaining = bucket.Tokens;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                remaining = 0;
                retryAfter = TimeSpan.FromSeconds((bucket.RefilledAt + bucket.PeriodTicks - now) / (double)_time.TimestampFrequency);
                return false;
            }
        }
    }

    private void MaybeSweep(long now)
    {
        if (now < Volatile.Read(ref _nextSweep) || Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _nextSweep, now + _sweepTicks);
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Sweep(), this, preferLocal: false);
    }

    private void Sweep()
    {
        try
        {
            var now = _time.GetTimestamp();
            foreach (var (key, bucket) in _buckets)
            {
                lock (bucket)
                {
                    bucket.Refill(now);
                    if (bucket.Tokens < bucket.Limit)
                    {
                        continue;
                    }

                    bucket.Dropped = true;
                }

                _buckets.TryRemove(KeyValuePair.Create(key, bucket));
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private sealed class Bucket(TokenBucketRateLimiterOptions shape, long now, long frequency)
    {
        public int Limit { get; } = shape.TokenLimit;

        public int TokensPerPeriod { get; } = shape.TokensPerPeriod;

        public long PeriodTicks { get; } = Math.Max(1, (long)(shape.ReplenishmentPeriod.TotalSeconds * frequency));

        public int Tokens { get; set; } = shape.TokenLimit;

        public long RefilledAt { get; private set; } = now;

        public bool Dropped { get; set; }

        public void Refill(long now)
        {
            var periods = (now - RefilledAt) / PeriodTicks;
            if (periods <= 0)
            {
                return;
            }

            RefilledAt += periods * PeriodTicks;
            Tokens = (int)Math.Min(Limit, Tokens + (Math.Min(periods, Limit) * TokensPerPeriod));
        }
    }
}

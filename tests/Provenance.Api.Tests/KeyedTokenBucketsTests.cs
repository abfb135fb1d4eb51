using System.Threading.RateLimiting;
using Provenance.Api.Http;

namespace Provenance.Api.Tests;

/// <summary>
/// The per-code token buckets refill as the framework's token bucket does (whole periods, up to the limit), keep each
/// key apart, never grant more than the bucket holds under concurrent takes, and forget only buckets that are full again.
/// </summary>
public sealed class KeyedTokenBucketsTests
{
    // 5 tokens, one more every 5 s: the shape of 12 scans per code and client per minute with the minimum burst.
    private static readonly TokenBucketRateLimiterOptions FivePerBurst = new() { TokenLimit = 5, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(5) };

    [Fact]
    public void A_key_gets_its_burst_then_is_refused_until_a_period_passes_and_other_keys_are_untouched()
    {
        var clock = new HandClock();
        var buckets = new KeyedTokenBuckets(clock);

        for (var expected = 4; expected >= 0; expected--)
        {
            Assert.True(buckets.TryTake("a", FivePerBurst, out var remaining, out _));
            Assert.Equal(expected, remaining);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(buckets.TryTake("a", FivePerBurst, out _, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(3), retryAfter);
        Assert.True(buckets.TryTake("b", FivePerBurst, out var other, out _));
        Assert.Equal(4, other);

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(buckets.TryTake("a", FivePerBurst, out _, out _));
        Assert.False(buckets.TryTake("a", FivePerBurst, out _, out _));
    }

    [Fact]
    public void A_long_idle_key_refills_to_its_limit_and_no_further()
    {
        var clock = new HandClock();
        var buckets = new KeyedTokenBuckets(clock);
        Assert.True(buckets.TryTake("a", FivePerBurst, out _, out _));

        clock.Advance(TimeSpan.FromDays(400));

        var granted = Enumerable.Range(0, 20).Count(attempt => buckets.TryTake("a", FivePerBurst, out _, out _));
        Assert.Equal(5, granted);
    }

    [Fact]
    public void Concurrent_takes_from_one_key_never_get_more_than_it_holds()
    {
        var buckets = new KeyedTokenBuckets(new HandClock());
        var shape = new TokenBucketRateLimiterOptions { TokenLimit = 1000, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) };
        var granted = 0;

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 500; i++)
            {
                if (buckets.TryTake("hot", shape, out _, out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });

        Assert.Equal(1000, granted);
    }

    [Fact]
    public async Task The_sweep_forgets_buckets_that_are_full_again_and_keeps_one_still_spent()
    {
        var clock = new HandClock();
        var buckets = new KeyedTokenBuckets(clock);
        var slow = new TokenBucketRateLimiterOptions { TokenLimit = 2, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(5) };
        for (var i = 0; i < 100; i++)
        {
            Assert.True(buckets.TryTake($"code-{i}", FivePerBurst, out _, out _));
        }

        Assert.True(buckets.TryTake("spent", slow, out _, out _));
        Assert.True(buckets.TryTake("spent", slow, out _, out _));
        Assert.Equal(101, buckets.Count);

        clock.Advance(KeyedTokenBuckets.SweepInterval + TimeSpan.FromSeconds(1));
        Assert.True(buckets.TryTake("new", FivePerBurst, out _, out _)); // starts the sweep, off this thread

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (buckets.Count > 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, buckets.Count); // "spent" (not refilled yet) and "new" (one token used)
        Assert.False(buckets.TryTake("spent", slow, out _, out _));
    }

    /// <summary>A clock moved by the test only.</summary>
    private sealed class HandClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}

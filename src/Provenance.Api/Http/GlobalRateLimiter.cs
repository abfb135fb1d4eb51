using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Provenance.Api.Http;

/// <summary>
/// The limiter every request passes (<c>RateLimiterOptions.GlobalLimiter</c>): a scan path (<c>/01/…</c>) takes a token
/// from its code-and-client bucket in <see cref="KeyedTokenBuckets"/> (one bucket per code scanned, so not the
/// framework's partitioned limiter, which walks every partition ten times a second); every other request goes to
/// <paramref name="others"/>, whose partitions are one per client.
/// </summary>
internal sealed class GlobalRateLimiter(KeyedTokenBuckets codes, Func<HttpContext, (string Key, TokenBucketRateLimiterOptions Shape)?> codeBucket, PartitionedRateLimiter<HttpContext> others)
    : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => others.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        codeBucket(resource) is { } bucket ? Take(bucket.Key, bucket.Shape) : others.AttemptAcquire(resource, permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        codeBucket(resource) is { } bucket ? ValueTask.FromResult(Take(bucket.Key, bucket.Shape)) : others.AcquireAsync(resource, permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            others.Dispose();
        }

        base.Dispose(disposing);
    }

    private RateLimitLease Take(string key, TokenBucketRateLimiterOptions shape) =>
        codes.TryTake(key, shape, out _, out var retryAfter) ? BucketLease.Granted : BucketLease.Refused(retryAfter);
}

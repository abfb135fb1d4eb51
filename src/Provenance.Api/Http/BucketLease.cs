using System.Threading.RateLimiting;

namespace Provenance.Api.Http;

/// <summary>The answer of a <see cref="KeyedTokenBuckets"/> bucket as a rate-limit lease: granted, or refused with <c>RetryAfter</c>.</summary>
internal sealed class BucketLease : RateLimitLease
{
    public static readonly BucketLease Granted = new(true, null);

    private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];

    private readonly TimeSpan? _retryAfter;

    private BucketLease(bool acquired, TimeSpan? retryAfter)
    {
        IsAcquired = acquired;
        _retryAfter = retryAfter;
    }

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterOnly;

    public static BucketLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (_retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = wait;
            return true;
        }

        metadata = null;
        return false;
    }
}

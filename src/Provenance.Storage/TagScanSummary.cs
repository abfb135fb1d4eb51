namespace Provenance.Storage;

/// <summary>How often a tag's code was scanned, and when first and last (UTC). <see cref="Count"/> is 0 for a tag never scanned.</summary>
public sealed record TagScanSummary(long Count, DateTimeOffset? FirstAt, DateTimeOffset? LastAt);

namespace Provenance.Storage;

/// <summary>One scan: the tag, when, the verdict given, a coarsened location if any, and an opaque scanner id (never a raw IP).</summary>
public sealed record ScanRecord(string Gtin, string Serial, DateTimeOffset ScannedAt, string Verdict, double? Latitude, double? Longitude, string? LocationSource, string? Scanner, string? Country = null, double? AccuracyMeters = null);

namespace Provenance.Storage;

/// <summary>
/// Consumer scans with a location in one grid cell, one hour (UTC) and one verdict: the cell is row
/// <c>floor(lat / size)</c>, column <c>floor(lon / size)</c>. No scanner, code or exact place survives the grouping.
/// </summary>
public sealed record ScanCellCount(DateTimeOffset HourUtc, int Row, int Column, string? Country, string Verdict, long Count);

namespace Provenance.Api.Analytics;

/// <summary>Which local days (inclusive) of which time zone a heat map covers, and for which product.</summary>
public sealed record ScanHeatMapRequest(DateOnly From, DateOnly To, TimeZoneInfo Zone, string? Gtin)
{
    /// <summary>The UTC instants to read scans between: the start of <see cref="From"/> to the end of <see cref="To"/>, a day wider each side for zone offsets.</summary>
    public (DateTimeOffset From, DateTimeOffset To) UtcRange() =>
        (new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1), new DateTimeOffset(To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2));
}

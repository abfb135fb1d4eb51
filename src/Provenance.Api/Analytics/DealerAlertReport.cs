namespace Provenance.Api.Analytics;

/// <summary>Distributors ranked by the alerts raised against their stock since <see cref="Since"/>.</summary>
public sealed record DealerAlertReport(DateTimeOffset Since, IReadOnlyList<DealerAlertSummary> Dealers);

/// <summary>
/// One distributor's alerts: the total, the count per alert kind, and the diversion alerts that name it as the
/// responsible dealer, by grade (strong, moderate).
/// </summary>
public sealed record DealerAlertSummary(string DistributorId, string Name, long Total, IReadOnlyDictionary<string, long> ByKind, IReadOnlyDictionary<string, long> DiversionByGrade);

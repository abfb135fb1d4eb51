namespace Provenance.Core.Verdicts;

/// <summary>
/// The engine's answer: the verdict, every reason that applied (in precedence order), the key of the human sentence,
/// how far the location could be trusted, and the code's scan history. Immutable.
/// </summary>
public sealed record VerdictDecision(ScanVerdict Verdict, IReadOnlyList<string> Reasons, string SentenceKey, LocationConfidence Confidence, LocationSource LocationSource)
{
    /// <summary>The code's history including this scan (null for counterfeit codes, which have none).</summary>
    public ScanHistorySummary? History { get; init; }

    /// <summary>How well the bottle's origin was confirmed by its gateway's satellite fix (none when it was never sealed).</summary>
    public OriginConfidence OriginConfidence { get; init; }
}

/// <summary>"This code has been scanned <see cref="Count"/> times, first on <see cref="FirstAt"/> in <see cref="FirstPlace"/>".</summary>
public sealed record ScanHistorySummary(int Count, DateTimeOffset FirstAt, ScanLocation? FirstPlace, int DistinctScanners);

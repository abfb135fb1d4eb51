namespace Provenance.Core.Verdicts;

/// <summary>What a scan tells about a bottle. Wire names (<see cref="ScanVerdicts.Name"/>) are stable API.</summary>
public enum ScanVerdict
{
    /// <summary>Issued, sealed at a registered line, nothing suspicious.</summary>
    Authentic,

    /// <summary>The code's MAC fails: not made by the producer.</summary>
    Counterfeit,

    /// <summary>Authenticated but never issued: a key leak or lost data; raise an alert.</summary>
    Unknown,

    /// <summary>Issued but never sealed at a line: stolen or leaked labels.</summary>
    NotSealed,
}

/// <summary>Names and sentences for verdicts.</summary>
public static class ScanVerdicts
{
    public static string Name(ScanVerdict verdict) => verdict switch
    {
        ScanVerdict.Authentic => "authentic",
        ScanVerdict.Counterfeit => "counterfeit",
        ScanVerdict.Unknown => "unknown",
        ScanVerdict.NotSealed => "not_sealed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static string Sentence(ScanVerdict verdict) => verdict switch
    {
        ScanVerdict.Authentic => "Genuine: this bottle was sealed by the producer.",
        ScanVerdict.Counterfeit => "Counterfeit: this code was not issued by the producer.",
        ScanVerdict.Unknown => "Unknown: this code is well-formed but was never issued. The producer has been alerted.",
        ScanVerdict.NotSealed => "Not sealed: this label was issued but never applied at a bottling line. Do not trust this bottle.",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}

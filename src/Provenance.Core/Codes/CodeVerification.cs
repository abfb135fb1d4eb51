namespace Provenance.Core.Codes;

/// <summary>How a code's authentication went.</summary>
public enum CodeVerificationStatus
{
    Authentic,
    Malformed,
    UnknownKey,
    BadMac,
}

/// <summary>The result of verifying a code: status, the parsed link when it parsed, and what was wrong.</summary>
public sealed record CodeVerification(CodeVerificationStatus Status, DigitalLink? Link, string? Error)
{
    public bool IsAuthentic => Status == CodeVerificationStatus.Authentic;
}

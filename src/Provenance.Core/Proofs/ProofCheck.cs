namespace Provenance.Core.Proofs;

/// <summary>How one part of a proof bundle fared.</summary>
public enum ProofStatus
{
    Verified,
    Failed,

    /// <summary>The evidence does not exist yet (e.g. not in a ledger block yet); nothing is claimed.</summary>
    Pending,
}

/// <summary>The outcome for one part of a bundle: which part, how it fared, and in words why.</summary>
public sealed record ProofCheck(string Part, ProofStatus Status, string Message);

/// <summary>The outcome of checking a whole bundle, part by part, in the order they were checked.</summary>
public sealed record ProofReport(IReadOnlyList<ProofCheck> Checks)
{
    public bool AnyFailed => Checks.Any(c => c.Status == ProofStatus.Failed);

    public bool AnyPending => Checks.Any(c => c.Status == ProofStatus.Pending);

    /// <summary>The parts that failed, by name.</summary>
    public IReadOnlyList<string> FailedParts => [.. Checks.Where(c => c.Status == ProofStatus.Failed).Select(c => c.Part).Distinct()];
}

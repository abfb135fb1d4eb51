namespace Provenance.Storage.Ledger;

/// <summary>The result of <see cref="LedgerVerifier"/>: how many entries were checked and where the chain breaks, if it does.</summary>
public sealed record LedgerVerification(long EntriesChecked, IReadOnlyList<LedgerProblem> Problems, string? NodeKeyFingerprint)
{
    public bool IsIntact => Problems.Count == 0;
}

/// <summary>One break in the ledger: the entry index where it shows and what is wrong.</summary>
public sealed record LedgerProblem(long Index, string Kind, string Message);

namespace Provenance.Storage.Ledger;

/// <summary>The result of <see cref="LedgerVerifier"/>: what was checked, and every break found (the first <see cref="LedgerVerifier.MaxProblems"/>).</summary>
/// <param name="EntriesChecked">Entries read and checked.</param>
/// <param name="BlocksChecked">Blocks read and checked.</param>
/// <param name="Problems">The breaks, in ledger order.</param>
/// <param name="NodeKeyFingerprint">The node key the signatures were checked with.</param>
/// <param name="TrustedRecordedKey">True when no key was given and the key recorded inside the database was used.</param>
/// <param name="ProblemCount">All breaks found (more than <see cref="Problems"/> holds when it was capped).</param>
public sealed record LedgerVerification(long EntriesChecked, long BlocksChecked, IReadOnlyList<LedgerProblem> Problems, string? NodeKeyFingerprint, bool TrustedRecordedKey, long ProblemCount)
{
    public bool IsIntact => ProblemCount == 0;
}

/// <summary>One break in the ledger: the block and entry where it shows (either may be unknown), a stable kind and what is wrong.</summary>
public sealed record LedgerProblem(long? Block, long? Index, string Kind, string Message)
{
    public override string ToString() =>
        (Index is { } i ? $"entry {i}" : Block is { } b ? $"block {b}" : "ledger") + $": {Kind}: {Message}";
}

namespace Provenance.Storage.Ingestion;

/// <summary>What a commit did: stored seals and fixes, absorbed duplicates, refused conflicts and dead letters by reason.</summary>
public sealed class IngestionOutcome
{
    public int SealsStored { get; set; }

    public int FixesStored { get; set; }

    public int Duplicates { get; set; }

    public Dictionary<string, int> DeadLettersByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Event ids stored by this commit, in order.</summary>
    public List<string> StoredEventIds { get; } = [];

    internal void CountDeadLetter(string reason) =>
        DeadLettersByReason[reason] = DeadLettersByReason.GetValueOrDefault(reason) + 1;
}

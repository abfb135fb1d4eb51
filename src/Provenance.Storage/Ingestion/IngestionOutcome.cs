namespace Provenance.Storage.Ingestion;

/// <summary>What a commit did: stored seals and fixes, absorbed duplicates, refused conflicts and dead letters by reason.</summary>
public sealed class IngestionOutcome
{
    public int SealsStored { get; set; }

    public int FixesStored { get; set; }

    /// <summary>Pack events stored (containers bound at the line).</summary>
    public int PacksStored { get; set; }

    public int Duplicates { get; set; }

    public Dictionary<string, int> DeadLettersByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Old dead-letter messages deleted by this commit to keep the store within its quota.</summary>
    public int DeadLettersPruned { get; set; }

    /// <summary>Event ids stored by this commit, in order.</summary>
    public List<string> StoredEventIds { get; } = [];

    /// <summary>Adds what another commit did (when a group is committed in parts).</summary>
    public void Add(IngestionOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        SealsStored += other.SealsStored;
        FixesStored += other.FixesStored;
        PacksStored += other.PacksStored;
        Duplicates += other.Duplicates;
        DeadLettersPruned += other.DeadLettersPruned;
        StoredEventIds.AddRange(other.StoredEventIds);
        foreach (var (reason, count) in other.DeadLettersByReason)
        {
            DeadLettersByReason[reason] = DeadLettersByReason.GetValueOrDefault(reason) + count;
        }
    }

    internal void CountDeadLetter(string reason) =>
        DeadLettersByReason[reason] = DeadLettersByReason.GetValueOrDefault(reason) + 1;
}

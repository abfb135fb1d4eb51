namespace Provenance.Storage.Journal;

/// <summary>One accepted event in the durable journal. <see cref="Position"/> increases strictly; sinks read in that order.</summary>
public sealed record JournalEntry(long Position, string Kind, string EventId, string Body, long? MessageId, DateTimeOffset CreatedAt)
{
    public const string SealKind = "seal";
    public const string FixKind = "fix";
    public const string ScanKind = "scan";
    public const string PackKind = "pack";
}

namespace Provenance.Storage.Journal;

/// <summary>One accepted event in the durable journal. <see cref="Position"/> increases strictly; sinks read in that order.</summary>
public sealed record JournalEntry(long Position, string Kind, string EventId, string Body, long? MessageId, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// The W3C traceparent of the commit that stored the event, when it was traced: a sink's write links to it, so the
    /// event's trace reaches the sinks that run later, in other batches, possibly after a restart.
    /// </summary>
    public string? TraceParent { get; init; }

    public const string SealKind = "seal";
    public const string FixKind = "fix";
    public const string ScanKind = "scan";
    public const string PackKind = "pack";
}

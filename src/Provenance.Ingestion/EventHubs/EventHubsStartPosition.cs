namespace Provenance.Ingestion.EventHubs;

/// <summary>Where a partition without a checkpoint is read from.</summary>
public enum EventHubsStartPosition
{
    /// <summary>The oldest event the hub still retains (nothing sent before Provenance was connected is missed).</summary>
    Earliest,

    /// <summary>Only events enqueued after the first connection.</summary>
    Latest,
}

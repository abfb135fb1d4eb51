namespace Provenance.Storage;

/// <summary>
/// Tells this process's readers which bottles' verdict facts a write has just committed a change to: recalls, voids
/// and openings (tag events), shipments, distributor receipts, pruned scan history. Stores raise it after their
/// transaction commits, before they return, so a reader that drops what it cached for those bottles never serves a
/// fact older than a write that has returned. On PostgreSQL, <see cref="TagChangeRelay"/> carries each change to the
/// other processes on the database and raises theirs here. Thread-safe; handlers run on the writer's thread and must
/// be quick.
/// </summary>
public sealed class TagChangeFeed
{
    public event EventHandler<TagsChangedEventArgs>? Changed;

    /// <summary>Changes committed by this process, for <see cref="TagChangeRelay"/> to pass on to the others.</summary>
    internal event EventHandler<TagsChangedEventArgs>? Committed;

    /// <summary>These bottles changed.</summary>
    internal void Publish(IEnumerable<TagKey> tags)
    {
        var list = tags.ToList();
        if (list.Count > 0)
        {
            Raise(new TagsChangedEventArgs(list, All: false));
        }
    }

    /// <summary>Bottles that cannot be named cheaply changed (a whole lot, pruned history): readers drop everything.</summary>
    internal void PublishAll() => Raise(new TagsChangedEventArgs([], All: true));

    /// <summary>A change another process committed (or, after the relay lost its connection, possibly missed ones: all).</summary>
    internal void Receive(TagsChangedEventArgs change) => Changed?.Invoke(this, change);

    private void Raise(TagsChangedEventArgs change)
    {
        Changed?.Invoke(this, change);
        Committed?.Invoke(this, change);
    }
}

namespace Provenance.Storage;

/// <summary>
/// Tells this process's readers which bottles' verdict facts a write has just committed a change to: recalls, voids
/// and openings (tag events), shipments, distributor receipts, pruned scan history. Stores raise it after their
/// transaction commits, before they return, so a reader that drops what it cached for those bottles never serves a
/// fact older than a write that has returned. Writes by another process on the same file are not seen here.
/// Thread-safe; handlers run on the writer's thread and must be quick.
/// </summary>
public sealed class TagChangeFeed
{
    public event EventHandler<TagsChangedEventArgs>? Changed;

    /// <summary>These bottles changed.</summary>
    internal void Publish(IEnumerable<TagKey> tags)
    {
        var list = tags.ToList();
        if (list.Count > 0)
        {
            Changed?.Invoke(this, new TagsChangedEventArgs(list, All: false));
        }
    }

    /// <summary>Bottles that cannot be named cheaply changed (a whole lot, pruned history): readers drop everything.</summary>
    internal void PublishAll() => Changed?.Invoke(this, new TagsChangedEventArgs([], All: true));
}

namespace Provenance.Storage;

/// <summary>The bottles a committed write changed; <paramref name="All"/> when it cannot name them (readers drop everything).</summary>
public sealed class TagsChangedEventArgs(IReadOnlyList<TagKey> tags, bool All) : EventArgs
{
    public IReadOnlyList<TagKey> Tags { get; } = tags;

    public bool All { get; } = All;
}

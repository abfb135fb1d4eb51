namespace Provenance.Storage.Packaging;

/// <summary>Why a packing or unpacking was refused: bad input (<see cref="Conflict"/> false) or a clash with what is stored.</summary>
public sealed record PackRefusal(bool Conflict, string Reason);

/// <summary>
/// What a packing (or unpacking) changed: the children newly placed (or removed), and for a reassignment the children
/// taken out of each former parent. <see cref="Refusal"/> set means nothing was changed.
/// </summary>
public sealed record PackOutcome(IReadOnlyList<PackedChild> Changed, IReadOnlyDictionary<string, IReadOnlyList<PackedChild>> MovedFrom, PackRefusal? Refusal)
{
    public static PackOutcome Refused(bool conflict, string reason) => new([], new Dictionary<string, IReadOnlyList<PackedChild>>(), new PackRefusal(conflict, reason));
}

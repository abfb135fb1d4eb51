using Provenance.Core.Packaging;

namespace Provenance.Storage.Packaging;

/// <summary>
/// What to put into one container: issued bottles and lower-level containers (canonical codes). The container is
/// created at <see cref="Level"/> when it is new. With <see cref="Reassign"/>, children that sit in another container
/// are moved out of it; without, that is a conflict.
/// </summary>
public sealed record ContainerPacking(string Code, PackagingLevel Level, IReadOnlyCollection<TagKey> Bottles, IReadOnlyCollection<string> Containers, bool Reassign = false);

/// <summary>One child of a container: a bottle or a lower-level container (exactly one is set).</summary>
public sealed record PackedChild(TagKey? Bottle, string? Container);

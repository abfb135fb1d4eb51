using Provenance.Core.Packaging;

namespace Provenance.Storage.Packaging;

/// <summary>
/// A container and everything below it: its direct bottles, its child containers (each a tree), and the number of
/// bottles at every depth below it.
/// </summary>
public sealed record ContainerTree(string Code, PackagingLevel Level, string? ParentCode, long BottleCount, IReadOnlyList<TagKey> Bottles, IReadOnlyList<ContainerTree> Containers);

using System.Text.Json.Serialization;

namespace Provenance.Api.Packaging;

/// <summary>
/// Packs bottles and lower-level containers into a box, case or pallet (created at <see cref="Level"/> when new).
/// Codes are Digital Link URIs (bottles as printed; containers /00/{sscc} or /01/{gtin}/21/{serial}) or GS1 element
/// strings for containers. A child already in another container is a conflict unless <see cref="Reassign"/> is true.
/// </summary>
public sealed record PackRequest(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("bottles")] IReadOnlyList<string>? Bottles,
    [property: JsonPropertyName("containers")] IReadOnlyList<string>? Containers,
    [property: JsonPropertyName("reassign")] bool Reassign = false);

/// <summary>Takes children out of a container; with neither list, everything directly in it.</summary>
public sealed record UnpackRequest(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("bottles")] IReadOnlyList<string>? Bottles,
    [property: JsonPropertyName("containers")] IReadOnlyList<string>? Containers);

/// <summary>What a pack or unpack changed: the container, how many children it placed or removed, and its bottles now at every depth.</summary>
public sealed record PackResult(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("movedFrom")] IReadOnlyList<string> MovedFrom,
    [property: JsonPropertyName("bottleCount")] long BottleCount);

/// <summary>A container and everything below it (codes as canonical Digital Link paths).</summary>
public sealed record ContainerTreeDto(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("bottleCount")] long BottleCount,
    [property: JsonPropertyName("bottles")] IReadOnlyList<string> Bottles,
    [property: JsonPropertyName("containers")] IReadOnlyList<ContainerTreeDto> Containers);

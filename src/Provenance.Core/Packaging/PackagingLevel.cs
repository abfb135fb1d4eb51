namespace Provenance.Core.Packaging;

/// <summary>
/// The levels of the packaging hierarchy above the bottle, in nesting order: a box holds bottles, a case holds bottles
/// or boxes, a pallet holds bottles, boxes or cases. A container only ever holds things of a lower level.
/// </summary>
public enum PackagingLevel
{
    Box = 1,
    Case = 2,
    Pallet = 3,
}

/// <summary>Names of <see cref="PackagingLevel"/> on the wire (<c>box</c>, <c>case</c>, <c>pallet</c>).</summary>
public static class PackagingLevels
{
    public const string Names = "box, case or pallet";

    public static string Name(PackagingLevel level) => level switch
    {
        PackagingLevel.Box => "box",
        PackagingLevel.Case => "case",
        PackagingLevel.Pallet => "pallet",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? name, out PackagingLevel level)
    {
        PackagingLevel? parsed = name switch
        {
            "box" => PackagingLevel.Box,
            "case" => PackagingLevel.Case,
            "pallet" => PackagingLevel.Pallet,
            _ => null,
        };
        level = parsed ?? default;
        return parsed is not null;
    }
}

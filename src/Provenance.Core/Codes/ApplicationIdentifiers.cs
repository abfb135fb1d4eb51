namespace Provenance.Core.Codes;

/// <summary>
/// The GS1 Application Identifiers this product reads in Digital Link URIs: primary keys and their key qualifiers
/// in the path, and a few data attributes in the query. Anything else numeric is an unknown AI and is refused.
/// </summary>
internal static class ApplicationIdentifiers
{
    public const string Sscc = "00";
    public const string Gtin = "01";
    public const string Cpv = "22";
    public const string Lot = "10";
    public const string Serial = "21";

    /// <summary>GTIN key qualifiers, in the only order the standard allows.</summary>
    public static readonly string[] GtinQualifiers = [Cpv, Lot, Serial];

    /// <summary>Data attributes allowed in the query: dates (N6, YYMMDD) and a few others, with their value rules.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, bool>> QueryAttributes = new Dictionary<string, Func<string, bool>>(StringComparer.Ordinal)
    {
        ["11"] = IsDate, // production date
        ["13"] = IsDate, // packaging date
        ["15"] = IsDate, // best before
        ["16"] = IsDate, // sell by
        ["17"] = IsDate, // expiry
        ["7003"] = v => v.Length == 10 && v.All(char.IsAsciiDigit), // expiry date and time YYMMDDHHMM
        ["30"] = v => v.Length is >= 1 and <= 8 && v.All(char.IsAsciiDigit), // variable count
    };

    /// <summary>All AIs this product knows: path AIs and query attributes.</summary>
    public static bool IsKnown(string ai) => ai is Sscc or Gtin or Cpv or Lot or Serial || QueryAttributes.ContainsKey(ai);

    public static bool LooksLikeAi(string key) => key.Length is >= 2 and <= 4 && key.All(char.IsAsciiDigit);

    private static bool IsDate(string v) =>
        v.Length == 6 && v.All(char.IsAsciiDigit) && int.Parse(v.AsSpan(2, 2), System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 12
        && int.Parse(v.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture) <= 31;
}

namespace Provenance.Api.Pages;

/// <summary>How each verdict looks: background colour and icon. Verdicts not listed here (future ones) get a neutral grey "?".</summary>
public static class VerdictStyle
{
    public const string Neutral = "#5f6368";

    /// <summary>Background colour per verdict wire name (white text on it).</summary>
    public static IReadOnlyDictionary<string, string> Colours { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["authentic"] = "#1b7f3b",
        ["counterfeit"] = "#b3261e",
        ["unknown"] = "#9a5b00",
        ["not_sealed"] = "#9a5b00",
        ["recalled"] = "#b3261e",
        ["void"] = "#b3261e",
        ["opened"] = "#9a5b00",
        ["suspect_clone"] = "#c0360c",
        ["diverted"] = "#9a5b00",
        ["suspect_origin"] = "#c0360c",
        ["suspect_refill"] = "#b3261e",
    };

    /// <summary>Icon per verdict wire name.</summary>
    public static IReadOnlyDictionary<string, string> Icons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["authentic"] = "✔",
        ["counterfeit"] = "✖",
        ["unknown"] = "?",
        ["not_sealed"] = "!",
        ["recalled"] = "⛔",
        ["void"] = "⊘",
        ["opened"] = "◔",
        ["suspect_clone"] = "⚠",
        ["diverted"] = "⇄",
        ["suspect_origin"] = "⚠",
        ["suspect_refill"] = "⚠",
    };

    public static string Colour(string verdict) => Colours.GetValueOrDefault(verdict, Neutral);

    public static string Icon(string verdict) => Icons.GetValueOrDefault(verdict, "?");
}

using System.Globalization;
using System.Text.Json;

namespace Provenance.Api.Pages;

/// <summary>
/// Defensive reads of the scan JSON: every optional field may be absent, null or of an unexpected kind, and the
/// page must still render. Nothing here throws.
/// </summary>
internal static class JsonRead
{
    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    public static JsonElement? Object(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    public static string? String(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static double? Number(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        { ValueKind: JsonValueKind.String } value when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static bool? Boolean(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public static DateTimeOffset? Time(this JsonElement element, string name) =>
        element.String(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    public static IEnumerable<JsonElement> Array(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray() : [];

    /// <summary>A place given either as text or as an object (name, city, region, country, or lat/lon).</summary>
    public static string? Place(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Object } value => value.String("name") ?? JoinNonEmpty(value.String("city"), value.String("region"), value.String("country"))
            ?? (value.Number("lat") is { } lat && value.Number("lon") is { } lon ? string.Create(CultureInfo.InvariantCulture, $"{lat:0.00}, {lon:0.00}") : null),
        _ => null,
    };

    private static string? JoinNonEmpty(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return present.Count == 0 ? null : string.Join(", ", present);
    }
}

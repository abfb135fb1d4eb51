using System.Text.Json;

namespace Provenance.Api.Http;

/// <summary>
/// <see cref="JsonDocument"/> accepts an escaped lone surrogate (<c>"\ud800"</c>) while parsing and throws only when
/// the string is read. Endpoints that read a raw document check it first, so such a body is a 400, not a 500 halfway.
/// </summary>
public static class JsonStringCheck
{
    /// <summary>The JSON path of the first string or property name that is not valid UTF-16, or null when all are.</summary>
    public static string? FindInvalid(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : path;
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"{path} (property {index})";
                    }

                    if (FindInvalid(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalid(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

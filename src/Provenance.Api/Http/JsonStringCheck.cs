using System.Text.Json;

namespace Provenance.Api.Http;

/// <summary>
/// <see cref="JsonDocument"/> accepts an escaped lone surrogate (<c>"\ud800"</c>) while parsing and throws only when
/// the string is read. Endpoints that read a raw document check it first, so such a body is a 400, not a 500 halfway.
/// </summary>
public static class JsonStringCheck
{
    /// <summary>The JSON path of the first string or property name that is not valid UTF-16, or null when all are.</summary>
    public static string? FindInvalid(JsonElement element) => FindInvalid(element, out var path) ? "$" + path : null;

    /// <summary>Walks the tree; the path is built only on the way back from a failure, so a valid document allocates none.</summary>
    private static bool FindInvalid(JsonElement element, out string path)
    {
        path = string.Empty;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return !Readable(() => element.GetString());
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        path = $" (property {index})";
                        return true;
                    }

                    if (FindInvalid(property.Value, out var inner))
                    {
                        path = $".{property.Name}{inner}";
                        return true;
                    }

                    index++;
                }

                return false;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalid(item, out var inner))
                    {
                        path = $"[{i}]{inner}";
                        return true;
                    }

                    i++;
                }

                return false;
            default:
                return false;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

using System.Text.Json.Nodes;

namespace Provenance.Core.Twins;

/// <summary>
/// The rules for a device twin's desired and reported properties, as Azure IoT Hub applies them: a patch is a JSON
/// object merged into the properties (a <c>null</c> removes a property), names do not start with <c>$</c> and hold no
/// <c>.</c> or space, nesting is at most <see cref="MaxDepth"/> levels and a side is at most <see cref="MaxBytes"/>.
/// </summary>
public static class TwinDocument
{
    /// <summary>IoT Hub's limit on the nesting of twin properties.</summary>
    public const int MaxDepth = 10;

    /// <summary>IoT Hub's limit on each side (desired, reported) of a twin.</summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>Reads a patch; null with a reason when it is not a JSON object within the rules.</summary>
    public static JsonObject? ParsePatch(string json, out string error)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = MaxDepth + 2 });
        }
        catch (System.Text.Json.JsonException e)
        {
            error = $"the patch is not JSON: {e.Message}";
            return null;
        }

        if (node is not JsonObject patch)
        {
            error = "the patch must be a JSON object of properties";
            return null;
        }

        error = Check(patch, 1) ?? string.Empty;
        return error.Length == 0 ? patch : null;
    }

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="properties"/> (JSON merge patch) and returns the result, or
    /// null with a reason when the result would exceed <see cref="MaxBytes"/>.
    /// </summary>
    public static JsonObject? Merge(JsonObject properties, JsonObject patch, out string error)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(patch);
        var merged = (JsonObject)properties.DeepClone();
        MergeInto(merged, patch);
        var size = System.Text.Encoding.UTF8.GetByteCount(merged.ToJsonString());
        error = size > MaxBytes ? $"the properties would take {size} bytes; a twin side holds at most {MaxBytes}" : string.Empty;
        return error.Length == 0 ? merged : null;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                MergeInto(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static string? Check(JsonObject patch, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"the patch nests deeper than {MaxDepth} levels";
        }

        foreach (var (name, value) in patch)
        {
            if (name.Length == 0 || name.Length > 128 || name[0] == '$' || name.AsSpan().IndexOfAny(". ") >= 0 || name.Any(char.IsControl))
            {
                return $"property name '{(name.Length > 64 ? name[..64] + "…" : name)}' is not allowed: 1 to 128 characters, not starting with '$', without '.', spaces or control characters";
            }

            if (value is JsonObject inner && Check(inner, depth + 1) is { } error)
            {
                return error;
            }
        }

        return null;
    }
}

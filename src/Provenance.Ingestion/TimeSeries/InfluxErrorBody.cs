using System.Text.Json;
using System.Text.RegularExpressions;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Reads InfluxDB's error answers: v1 <c>{"error":"..."}</c>, v2 <c>{"code":"invalid","message":"..."}</c>,
/// or plain text; and finds which lines of a batch the message names. Thread-safe (stateless).
/// </summary>
internal static partial class InfluxErrorBody
{
    private const int MaxMessageLength = 2000;

    /// <summary>The human message of an error body; falls back to the raw text or the status.</summary>
    public static string Message(string body, string? influxErrorHeader, int statusCode)
    {
        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var name in (ReadOnlySpan<string>)["error", "message"])
                    {
                        if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                        {
                            return Cap(value.GetString()!);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the raw text.
            }
        }

        if (trimmed.Length > 0)
        {
            return Cap(trimmed);
        }

        return string.IsNullOrWhiteSpace(influxErrorHeader) ? $"HTTP {statusCode} without a message" : Cap(influxErrorHeader);
    }

    /// <summary>
    /// Positions (0-based, within <paramref name="lines"/>) of the lines the message names: InfluxDB 2's
    /// <c>line N:</c> (1-based) or InfluxDB 1's <c>unable to parse '&lt;line&gt;'</c>. Empty when the
    /// message names none (e.g. a field type conflict), in which case the caller bisects.
    /// </summary>
    public static IReadOnlySet<int> NamedLines(string message, IReadOnlyList<string> lines)
    {
        var named = new SortedSet<int>();
        foreach (Match match in LineNumber().Matches(message))
        {
            if (int.TryParse(match.Groups[1].ValueSpan, out var number) && number >= 1 && number <= lines.Count)
            {
                named.Add(number - 1);
            }
            else
            {
                return new SortedSet<int>();
            }
        }

        if (message.Contains("unable to parse '", StringComparison.Ordinal))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (message.Contains($"unable to parse '{lines[i]}'", StringComparison.Ordinal))
                {
                    named.Add(i);
                }
            }
        }

        return named;
    }

    private static string Cap(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";

    [GeneratedRegex(@"(?:^|[\s:;,(])line (\d+)(?::|\b)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LineNumber();
}

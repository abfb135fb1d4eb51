using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Bench.Harness;

/// <summary>The rows of one run as JSON (<c>--json FILE</c>), so that runs of two builds can be put side by side.</summary>
public static class ResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public static Task WriteAsync(string path, IReadOnlyList<ResultRow> rows) => File.WriteAllTextAsync(path, JsonSerializer.Serialize(rows, Options));

    public static IReadOnlyList<ResultRow> Read(string path) => JsonSerializer.Deserialize<List<ResultRow>>(File.ReadAllText(path), Options) ?? [];
}

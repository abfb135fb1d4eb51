using System.Text.Json;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>The dead letters of a /health document, by reason.</summary>
public sealed class DeadLetterCounts(JsonElement health)
{
    /// <summary>Reasons with dead letters, except the ones named.</summary>
    public IReadOnlyList<string> ReasonsOtherThan(params string[] allowed) =>
        [.. health.GetProperty("deadLetters").EnumerateObject().Where(p => p.Value.GetInt64() > 0 && !allowed.Contains(p.Name)).Select(p => $"{p.Name}: {p.Value}")];
}

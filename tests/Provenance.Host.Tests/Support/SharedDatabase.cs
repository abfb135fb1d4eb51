using System.Text.Json;

namespace Provenance.Host.Tests.Support;

/// <summary>Reads a node's state straight from its PostgreSQL database, and what its <c>/health</c> says about its sinks.</summary>
internal static class SharedDatabase
{
    /// <summary>Whether the node leads <paramref name="work"/> (<c>leading</c>, <c>standby</c>, <c>electing</c>), or null when it does not run it.</summary>
    public static string? Work(JsonElement health, string work) =>
        health.GetProperty("storage").GetProperty("work").TryGetProperty(work, out var state) ? state.GetString() : null;

    /// <summary>Polls the node's <c>/health</c> until <paramref name="condition"/> holds (an answer that is not one counts as not yet).</summary>
    public static async Task WaitUntilAsync(ProvenanceNode node, Func<JsonElement, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var last = "(no answer)";
        while (true)
        {
            try
            {
                var health = await node.HealthAsync();
                if (condition(health))
                {
                    return;
                }

                last = health.ToString();
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}: {last}");
            }
        }
    }

    /// <summary>The event ids a simulator's acknowledged-file holds.</summary>
    public static HashSet<string> AckedIds(string file) => File.ReadAllLines(file).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
}

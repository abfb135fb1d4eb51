using System.Text.Json;

namespace Provenance.Engines.Tests.Support;

/// <summary>The single-runner work (sinks, dispatchers) a process's <c>/health</c> reports as leading, in standby or electing.</summary>
internal static class WorkStates
{
    /// <summary>The state of one piece of work (<c>leading</c>, <c>standby</c>, <c>electing</c>), or null when the process does not run it.</summary>
    public static string? Of(JsonElement health, string work) =>
        health.GetProperty("storage").GetProperty("work").TryGetProperty(work, out var state) ? state.GetString() : null;

    /// <summary>Every piece of work and its state.</summary>
    public static Dictionary<string, string> All(JsonElement health) =>
        health.GetProperty("storage").GetProperty("work").EnumerateObject().ToDictionary(w => w.Name, w => w.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>Polls <c>/health</c> until every one of <paramref name="works"/> is in <paramref name="state"/>; returns that answer.</summary>
    public static async Task<JsonElement> WaitForAsync(IngestionInstance instance, IReadOnlyList<string> works, string state, string what, TimeSpan? timeout = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var health = await instance.HealthAsync();
            if (works.All(w => Of(health, w) == state))
            {
                return health;
            }

            try
            {
                await Task.Delay(50, expiry.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}: {health}");
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provenance.Bench.Harness;

/// <summary>
/// An open-loop HTTP load generator: requests start on a fixed schedule (so a slow response does not hide queueing),
/// latency is measured from the scheduled start. Counts responses whose body contains an expected marker.
/// </summary>
public static class PacedLoad
{
    public static async Task<(double P50Ms, double P99Ms, long Requests, long Matching, double AchievedPerSecond)> RunAsync(
        string baseUrl, IReadOnlyList<string> paths, double perSecond, TimeSpan duration, string marker, CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var latencies = new ConcurrentBag<double>();
        long matching = 0;
        var total = (long)(perSecond * duration.TotalSeconds);
        var tasks = new List<Task>((int)total);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            var due = i / perSecond;
            var ahead = due - clock.Elapsed.TotalSeconds;
            if (ahead > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken);
            }

            var path = paths[(int)(i % paths.Count)];
            tasks.Add(Task.Run(async () =>
            {
                var body = await client.GetStringAsync(new Uri(path, UriKind.Relative), cancellationToken);
                latencies.Add((clock.Elapsed.TotalSeconds - due) * 1000);
                if (body.Contains(marker, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref matching);
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks);
        var achieved = total / clock.Elapsed.TotalSeconds;
        return (Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), total, matching, achieved);
    }
}

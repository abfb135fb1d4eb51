using Microsoft.Extensions.Hosting;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>Asks the read replica how far behind it replays, every second, so scans use it only while it keeps up (<see cref="ReadReplica"/>).</summary>
public sealed class ReadReplicaProbe(ReadReplica replica, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!replica.Configured)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await replica.ProbeAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

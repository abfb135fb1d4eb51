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
            try
            {
                await replica.ProbeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An unexpected failure must not stop the host: the standby is simply not used until a probe succeeds.
                replica.Failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

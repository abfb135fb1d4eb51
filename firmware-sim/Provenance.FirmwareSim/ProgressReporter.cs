using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>Writes a progress line every interval: seals queued, sent and acknowledged (with rates), backlog, connection.</summary>
internal sealed class ProgressReporter(SimulatorCounters counters, FileMessageQueue queue, TimeProvider time, TextWriter? log, TimeSpan interval)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (log is null || interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        var (lastSent, lastAcked, lastAt) = (counters.SealsSent, counters.SealsAcked, time.GetTimestamp());
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var (sent, acked, at) = (counters.SealsSent, counters.SealsAcked, time.GetTimestamp());
            var seconds = Math.Max(time.GetElapsedTime(lastAt, at).TotalSeconds, 0.001);
            log.WriteLine(
                $"seals queued {counters.SealsQueued}, sent {sent} ({(sent - lastSent) / seconds:F1}/s), acked {acked} ({(acked - lastAcked) / seconds:F1}/s); " +
                $"gnss epochs {counters.GnssMessagesQueued}; backlog {queue.Backlog} messages; {(counters.IsConnected ? "connected" : "disconnected")}");
            (lastSent, lastAcked, lastAt) = (sent, acked, at);
        }
    }
}

using Provenance.FirmwareSim.Nmea;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>The GNSS receiver: one <c>gnss</c> message per epoch (GGA + RMC + GSA×n + GSV×n, CRLF-joined).</summary>
internal sealed class GnssProducer(SimulatorOptions options, GatewayMessageFactory messages, TimeProvider time, Random random, Func<(long Sequence, long Codes)> progress, Action<QueuedMessage, bool> enqueue)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.GnssInterval <= TimeSpan.Zero)
        {
            return;
        }

        var behaviour = new GnssBehaviour
        {
            OffSite = options.OffSite,
            Frozen = options.Frozen,
            SimulationMode = options.SimulationMode,
            CorruptNmea = options.CorruptNmea,
            PoorHdop = options.PoorHdop,
            FewSatellites = options.FewSatellites,
            NoBeiDou = options.NoBeiDou,
            Jump = options.Jump,
            BeiDouTalker = options.BeiDouTalker,
        };
        var receiver = new GnssReceiverModel(options.Latitude, options.Longitude, options.Altitude, behaviour, random);
        using var timer = new PeriodicTimer(options.GnssInterval, time);
        var last = time.GetUtcNow() - options.GnssInterval;
        do
        {
            var now = time.GetUtcNow();
            // A stale receiver stamps its epochs with the time of a fix it no longer has.
            var nmea = receiver.NextEpoch(now - options.StaleFix, now - last);
            last = now;
            var (sequence, codes) = progress();
            enqueue(messages.Gnss(nmea, now, sequence, codes), false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}

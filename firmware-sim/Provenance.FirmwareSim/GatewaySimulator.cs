using Provenance.Core.Signing;
using Provenance.FirmwareSim.Mqtt;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>
/// A simulated line gateway: a multi-GNSS receiver and a sealing machine whose signed messages go through a durable
/// local queue to an MQTT broker (store-and-forward). Run it in-process with <see cref="RunAsync"/>; watch it through
/// <see cref="Counters"/> and the events. One run at a time per instance.
/// </summary>
public sealed class GatewaySimulator
{
    private readonly SimulatorOptions _options;
    private readonly TextWriter? _log;
    private readonly TimeProvider _time;

    /// <summary>Creates a simulator; <paramref name="log"/> receives connection changes and progress lines.</summary>
    public GatewaySimulator(SimulatorOptions options, TextWriter? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (on the producing thread) after a message was durably queued.</summary>
    public event EventHandler<SimulatorMessageEventArgs>? MessageQueued;

    /// <summary>Raised (on the publishing thread) when the broker answered a message's PUBACK with success, whether or not it leaves the queue yet.</summary>
    public event EventHandler<SimulatorMessageEventArgs>? MessagePublished;

    /// <summary>Raised (on the publishing thread) after a message left the queue: acknowledged (end to end, or by PUBACK) and recorded.</summary>
    public event EventHandler<SimulatorMessageEventArgs>? MessageAcknowledged;

    /// <summary>Raised when the simulator connects, loses the broker, or fails to reach it.</summary>
    public event EventHandler<ConnectionChangedEventArgs>? ConnectionChanged;

    /// <summary>Live counters of the current (or last) run.</summary>
    public SimulatorCounters Counters { get; private set; } = new();

    /// <summary>
    /// Runs until every code is sealed and every queued message acknowledged, the duration is over, or
    /// <paramref name="cancellationToken"/> fires. Unacknowledged messages stay in the queue directory for the next run.
    /// </summary>
    public async Task<SimulatorResult> RunAsync(CancellationToken cancellationToken)
    {
        var counters = Counters = new SimulatorCounters();
        var temporary = _options.QueueDirectory is null
            ? Directory.CreateTempSubdirectory("firmware-sim-").FullName
            : null;
        try
        {
            using var queue = FileMessageQueue.Open(_options.QueueDirectory ?? temporary!);
            using var ackLog = _options.AckedFile is null ? null : new AckLog(_options.AckedFile);
            using var forgedKey = _options.Forge ? GatewayKeys.Create() : null;
            var messages = new GatewayMessageFactory(_options.SiteId, _options.GatewayId, forgedKey ?? _options.Key);
            var seed = _options.Seed ?? Random.Shared.Next();

            void Enqueue(QueuedMessage message, bool replay)
            {
                var index = queue.Append(message);
                counters.Queued(message.EventIds.Count, replay);
                MessageQueued?.Invoke(this, new SimulatorMessageEventArgs(index, message));
            }

            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.Duration is { } duration)
            {
                run.CancelAfter(duration);
            }

            using var producing = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
            var publisher = new QueuePublisher(
                _options, queue, messages, ackLog, counters, _time,
                (index, message) => MessageAcknowledged?.Invoke(this, new SimulatorMessageEventArgs(index, message)),
                (index, message) => MessagePublished?.Invoke(this, new SimulatorMessageEventArgs(index, message)),
                OnConnectionChanged).RunAsync(run.Token);
            var gnss = new GnssProducer(_options, messages, _time, new Random(seed), () => (queue.LastSequence, queue.CodesConsumed), Enqueue)
                .RunAsync(producing.Token);
            var progress = new ProgressReporter(counters, queue, _time, _log, _options.ProgressInterval).RunAsync(run.Token);
            var outcome = SimulatorOutcome.Completed;
            try
            {
                var work = WorkAsync(queue, messages, seed, gnss, Enqueue, producing, run.Token);
                if (await Task.WhenAny(work, publisher).ConfigureAwait(false) == publisher && !run.IsCancellationRequested)
                {
                    await publisher.ConfigureAwait(false);
                    throw new InvalidOperationException("the publisher stopped unexpectedly");
                }

                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                outcome = cancellationToken.IsCancellationRequested ? SimulatorOutcome.Cancelled : SimulatorOutcome.DurationElapsed;
            }
            finally
            {
                await producing.CancelAsync().ConfigureAwait(false);
                await run.CancelAsync().ConfigureAwait(false);
                await Quietly(gnss).ConfigureAwait(false);
                await Quietly(progress).ConfigureAwait(false);
                await publisher.ConfigureAwait(false);
            }

            var result = new SimulatorResult(outcome, counters.SealsQueued, counters.SealsAcked, queue.Backlog);
            _log?.WriteLine($"firmware-sim {_options.GatewayId}: {outcome}: {result.SealsQueued} seals queued, {result.SealsAcked} acknowledged, {result.Backlog} messages left in the queue");
            return result;
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private async Task WorkAsync(
        FileMessageQueue queue, GatewayMessageFactory messages, int seed, Task gnss, Action<QueuedMessage, bool> enqueue,
        CancellationTokenSource producing, CancellationToken run)
    {
        if (_options.Codes.Count == 0 && _options.GnssInterval > TimeSpan.Zero)
        {
            // GNSS only: runs until the duration is over or the caller cancels.
            await gnss.ConfigureAwait(false);
            return;
        }

        var seals = new SealProducer(_options, messages, _time, new Random(seed ^ 0x5EA1), enqueue);
        await seals.RunAsync(queue.CodesConsumed, queue.LastSequence, producing.Token).ConfigureAwait(false);
        await producing.CancelAsync().ConfigureAwait(false);
        await Quietly(gnss).ConfigureAwait(false);
        await queue.WaitDrainedAsync(run).ConfigureAwait(false);
    }

    private void OnConnectionChanged(bool connected, string? error)
    {
        _log?.WriteLine(connected && error is null
            ? $"firmware-sim {_options.GatewayId}: connected to {_options.Host}:{_options.Port}"
            : $"firmware-sim {_options.GatewayId}: {error}");
        ConnectionChanged?.Invoke(this, new ConnectionChangedEventArgs(connected, error));
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }
}

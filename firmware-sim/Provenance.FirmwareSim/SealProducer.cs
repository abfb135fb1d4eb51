using System.Globalization;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim;

/// <summary>
/// The sealing machine: seals codes from the list in order at the configured rate, <c>Batch</c> events a message,
/// continuing the sequence and the position in the code list where the queue left off; with packing on, the
/// containers it closes go out as pack messages right after the seal message that completed them.
/// </summary>
internal sealed class SealProducer(SimulatorOptions options, GatewayMessageFactory messages, TimeProvider time, Random random, Action<QueuedMessage, bool> enqueue)
{
    /// <summary>Seals until the code list (or <c>Count</c>) is exhausted, starting after what the queue already holds.</summary>
    public async Task RunAsync(long codesConsumed, long lastSequence, CancellationToken cancellationToken)
    {
        var limit = Math.Min(options.Count ?? long.MaxValue, options.Codes.Count);
        var next = codesConsumed;
        var sequence = lastSequence;
        var start = time.GetUtcNow();
        long sealedThisRun = 0;
        var messagesThisRun = 0;
        IReadOnlyList<SealEvent>? previous = null;
        var packing = new PackingStation(options);
        while (next < limit)
        {
            var count = (int)Math.Min(options.Batch, limit - next);
            if (options.Rate > 0)
            {
                var wait = SealTime(start, sealedThisRun + count) - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var events = new SealEvent[count];
            for (var i = 0; i < count; i++)
            {
                events[i] = new SealEvent
                {
                    EventId = Guid.CreateVersion7().ToString(),
                    Tag = options.Codes[(int)(next + i)],
                    Line = options.LineId,
                    SealedAt = options.Rate > 0 ? SealTime(start, sealedThisRun + i + 1) : now,
                    SealType = options.SealType,
                    NfcUid = next + i < options.NfcUids.Count ? options.NfcUids[(int)(next + i)] : options.Nfc ? NfcUid() : null,
                    Sequence = ++sequence,
                };
            }

            next += count;
            sealedThisRun += count;
            enqueue(messages.Seal(events, now, sequence, next), false);
            if (packing.Add(events.Select(e => e.Tag), now, ref sequence) is { Count: > 0 } packs)
            {
                enqueue(messages.Pack(packs, now, sequence, next), false);
            }

            if (options.Replay && previous is not null)
            {
                enqueue(messages.Seal(previous, time.GetUtcNow(), sequence, next), true);
            }

            previous = events;
            if (options.Poison && ++messagesThisRun <= 2)
            {
                enqueue(messages.PoisonSeal(messagesThisRun == 1 ? "null" : "[null]", time.GetUtcNow(), sequence, next), false);
            }
        }

        if (packing.Finish(time.GetUtcNow(), ref sequence) is { Count: > 0 } last)
        {
            enqueue(messages.Pack(last, time.GetUtcNow(), sequence, next), false);
        }
    }

    private DateTimeOffset SealTime(DateTimeOffset start, long ordinal) => start + TimeSpan.FromSeconds(ordinal / options.Rate);

    /// <summary>A 7-byte ISO 14443-A UID of an NXP tag (manufacturer byte 0x04), upper-case hex.</summary>
    private string NfcUid()
    {
        Span<byte> uid = stackalloc byte[7];
        random.NextBytes(uid);
        uid[0] = 0x04;
        return Convert.ToHexString(uid).ToUpper(CultureInfo.InvariantCulture);
    }
}

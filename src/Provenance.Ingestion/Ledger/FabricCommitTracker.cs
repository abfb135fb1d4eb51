using System.Runtime.ExceptionServices;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The Fabric engine's transactions in flight, in journal order. Commits may complete in any order; the engine's
/// cursor moves only past the longest prefix that has completed, so a failed or unresolved transaction holds it back
/// and nothing after it is skipped. The first failure is kept until <see cref="ResetAsync"/>. Thread-safe.
/// </summary>
internal sealed class FabricCommitTracker(Action<long> advanceCursor)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Slot> _order = new();
    private readonly List<Task> _running = [];
    private ExceptionDispatchInfo? _failure;

    /// <summary>How many transactions wait for their commit.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _order.Count(s => !s.Finished);
            }
        }
    }

    /// <summary>Whether a transaction failed since the last reset.</summary>
    public bool HasFailed
    {
        get
        {
            lock (_lock)
            {
                return _failure is not null;
            }
        }
    }

    /// <summary>Queues a transaction covering the journal up to <paramref name="lastPosition"/> and runs its completion.</summary>
    public void Track(long lastPosition, Func<Task> completion)
    {
        var slot = new Slot(lastPosition);
        lock (_lock)
        {
            _order.AddLast(slot);
        }

        var task = RunAsync(slot, completion);
        lock (_lock)
        {
            _running.Add(task);
            _running.RemoveAll(t => t.IsCompleted);
        }
    }

    /// <summary>Marks journal entries that needed no transaction (no unproven seals) as done, in order.</summary>
    public void Skip(long lastPosition)
    {
        var slot = new Slot(lastPosition) { Finished = true, Succeeded = true };
        lock (_lock)
        {
            _order.AddLast(slot);
        }

        Advance();
    }

    private void Fail(Exception exception)
    {
        lock (_lock)
        {
            _failure ??= ExceptionDispatchInfo.Capture(exception);
        }
    }

    /// <summary>Waits for every transaction in flight to complete or fail.</summary>
    public Task DrainAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_running.ToArray());
        }
    }

    /// <summary>
    /// Waits for everything in flight, forgets the queue and the failure, and returns the failure (or null): the journal
    /// is then read again from the cursor.
    /// </summary>
    public async Task<ExceptionDispatchInfo?> ResetAsync()
    {
        await DrainAsync().ConfigureAwait(false);
        lock (_lock)
        {
            var failure = _failure;
            _failure = null;
            _order.Clear();
            _running.Clear();
            return failure;
        }
    }

    private async Task RunAsync(Slot slot, Func<Task> completion)
    {
        try
        {
            await completion().ConfigureAwait(false);
            slot.Succeeded = true;
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            slot.Finished = true;
        }

        Advance();
    }

    private void Advance()
    {
        long? through = null;
        lock (_lock)
        {
            while (_order.First is { Value: { Finished: true, Succeeded: true } first })
            {
                through = first.LastPosition;
                _order.RemoveFirst();
            }

            if (through is { } position)
            {
                // Under the lock, so cursor writes happen in journal order.
                advanceCursor(position);
            }
        }
    }

    private sealed class Slot(long lastPosition)
    {
        public long LastPosition { get; } = lastPosition;

        public volatile bool Finished;

        public volatile bool Succeeded;
    }
}

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Collects points into batches for <see cref="InfluxWriter"/>: a batch is ready when it holds
/// <see cref="BatchSize"/> points, or when <see cref="FlushInterval"/> has passed since its first point.
/// The journal sink drives it: <see cref="Add"/> each point (and write a returned full batch), and
/// call <see cref="TakeIfDue"/> after waiting <see cref="TimeUntilDue"/>. Thread-safe.
/// </summary>
public sealed class PointBatcher
{
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private List<Point> pending = [];
    private long firstAddedAt;

    /// <summary>Creates a batcher with the sizes of <paramref name="options"/>.</summary>
    public PointBatcher(InfluxOptions options, TimeProvider? timeProvider = null)
        : this(options?.BatchSize ?? throw new ArgumentNullException(nameof(options)), options.FlushInterval, timeProvider)
    {
    }

    /// <summary>Creates a batcher.</summary>
    /// <param name="batchSize">Points per batch; at least 1.</param>
    /// <param name="flushInterval">Longest time a point waits for its batch to fill; positive.</param>
    /// <param name="timeProvider">Clock; null for the system clock.</param>
    public PointBatcher(int batchSize, TimeSpan flushInterval, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(flushInterval, TimeSpan.Zero);
        BatchSize = batchSize;
        FlushInterval = flushInterval;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Points per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Longest time a point waits for its batch to fill.</summary>
    public TimeSpan FlushInterval { get; }

    /// <summary>Points waiting for the next batch.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>
    /// How long until the pending batch is due: null when nothing is pending, zero when it is due now.
    /// </summary>
    public TimeSpan? TimeUntilDue
    {
        get
        {
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    return null;
                }

                var left = FlushInterval - timeProvider.GetElapsedTime(firstAddedAt);
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Adds a point; returns the full batch when this point completed one, otherwise null.</summary>
    public IReadOnlyList<Point>? Add(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (gate)
        {
            if (pending.Count == 0)
            {
                firstAddedAt = timeProvider.GetTimestamp();
            }

            pending.Add(point);
            return pending.Count >= BatchSize ? TakeLocked() : null;
        }
    }

    /// <summary>Returns the pending points when <see cref="FlushInterval"/> has passed since the first of them; otherwise null.</summary>
    public IReadOnlyList<Point>? TakeIfDue()
    {
        lock (gate)
        {
            return pending.Count > 0 && timeProvider.GetElapsedTime(firstAddedAt) >= FlushInterval ? TakeLocked() : null;
        }
    }

    /// <summary>Returns every pending point (for shutdown); empty when none.</summary>
    public IReadOnlyList<Point> TakeAll()
    {
        lock (gate)
        {
            return TakeLocked();
        }
    }

    private List<Point> TakeLocked()
    {
        var batch = pending;
        pending = [];
        return batch;
    }
}

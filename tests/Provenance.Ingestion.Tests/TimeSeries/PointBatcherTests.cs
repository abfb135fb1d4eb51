using Provenance.Ingestion.TimeSeries;

namespace Provenance.Ingestion.Tests.TimeSeries;

public class PointBatcherTests
{
    private static Point P(int i) => Point.Create("m").Field("f", (long)i).Build(DateTimeOffset.UnixEpoch.AddSeconds(i));

    [Fact]
    public void A_batch_is_returned_when_batch_size_points_were_added()
    {
        var batcher = new PointBatcher(3, TimeSpan.FromSeconds(1), new ManualTimeProvider());

        Assert.Null(batcher.Add(P(1)));
        Assert.Null(batcher.Add(P(2)));
        var batch = batcher.Add(P(3));

        Assert.Equal([1L, 2L, 3L], batch!.Select(p => p.Fields[0].Value.AsInteger));
        Assert.Equal(0, batcher.Count);
    }

    [Fact]
    public void A_partial_batch_is_due_once_the_flush_interval_passed_since_its_first_point()
    {
        var clock = new ManualTimeProvider();
        var batcher = new PointBatcher(100, TimeSpan.FromSeconds(1), clock);
        Assert.Null(batcher.TimeUntilDue);

        batcher.Add(P(1));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        batcher.Add(P(2));

        Assert.Equal(TimeSpan.FromMilliseconds(400), batcher.TimeUntilDue);
        Assert.Null(batcher.TakeIfDue());
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.Zero, batcher.TimeUntilDue);
        Assert.Equal(2, batcher.TakeIfDue()!.Count);
        Assert.Null(batcher.TimeUntilDue);
    }

    [Fact]
    public void The_age_of_a_new_batch_starts_at_its_own_first_point()
    {
        var clock = new ManualTimeProvider();
        var batcher = new PointBatcher(2, TimeSpan.FromSeconds(1), clock);
        batcher.Add(P(1));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(batcher.Add(P(2)));

        batcher.Add(P(3));

        Assert.Null(batcher.TakeIfDue());
        Assert.Equal(TimeSpan.FromSeconds(1), batcher.TimeUntilDue);
    }

    [Fact]
    public void Take_all_drains_whatever_is_pending()
    {
        var batcher = new PointBatcher(new InfluxOptions());
        batcher.Add(P(1));

        Assert.Single(batcher.TakeAll());
        Assert.Empty(batcher.TakeAll());
    }

    [Fact]
    public void Concurrent_adds_lose_no_point_and_never_exceed_the_batch_size()
    {
        var batcher = new PointBatcher(7, TimeSpan.FromHours(1));
        var batches = new System.Collections.Concurrent.ConcurrentBag<IReadOnlyList<Point>>();

        Parallel.For(0, 1000, i =>
        {
            if (batcher.Add(P(i)) is { } batch)
            {
                batches.Add(batch);
            }
        });
        batches.Add(batcher.TakeAll());

        Assert.All(batches, b => Assert.InRange(b.Count, 0, 7));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), batches.SelectMany(b => b).Select(p => p.Fields[0].Value.AsInteger).Order());
    }
}

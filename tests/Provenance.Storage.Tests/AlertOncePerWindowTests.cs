namespace Provenance.Storage.Tests;

/// <summary>A once-per-window alert raised by racing writers on two separate opens of one database (as two processes would) is stored once.</summary>
public sealed class AlertOncePerWindowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-alert-once-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sixteen_racing_writers_on_two_opens_of_one_database_store_one_alert_and_a_later_window_gets_its_own()
    {
        var stores = new[] { new AlertStore(TestStorage.Open(_dir)), new AlertStore(TestStorage.Open(_dir)) };
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        using var start = new ManualResetEventSlim();
        long? Raise(AlertStore store, DateTimeOffset now) => store.AddUnless(
            new AlertQuery(Kind: "diverted", Since: now.AddHours(-24), DistributorId: "d1"), a => a.DetailJson.Contains("graded", StringComparison.Ordinal),
            "diverted", null, null, "d1", "{\"reason\":\"graded\"}", now);

        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return Raise(stores[i % 2], at);
        })).ToList();
        start.Set();
        var ids = await Task.WhenAll(racers);

        Assert.Single(ids, id => id is not null);
        Assert.Single(stores[0].List(new AlertQuery(Kind: "diverted")));
        Assert.Null(Raise(stores[1], at.AddHours(23)));
        Assert.NotNull(Raise(stores[1], at.AddHours(25)));
        Assert.Equal(2, stores[0].List(new AlertQuery(Kind: "diverted")).Count);
    }
}

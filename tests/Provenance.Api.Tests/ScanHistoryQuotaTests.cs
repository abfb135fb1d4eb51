using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provenance.Storage;

namespace Provenance.Api.Tests;

/// <summary>The scan history's quota on a real SQLite database: the oldest scans are pruned, counted, and the state says when the quota is near.</summary>
public sealed class ScanHistoryQuotaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-quota-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void Over_the_quota_the_oldest_scans_are_pruned_down_to_the_prune_fraction_and_counted()
    {
        var store = new ScanStore(TestStorage.Open(_dir));
        var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        store.Add([.. Enumerable.Range(0, 1_500).Select(i => new ScanRecord("09506000134352", $"S{i % 7}", start.AddSeconds(i), "authentic", null, null, "none", "x", null, null))]);
        using var metrics = new ApiMetrics(_services.GetRequiredService<IMeterFactory>());
        using var pruned = new MetricCollector<long>(metrics.Meter, "provenance.scans.pruned");
        var quota = new ScanHistoryQuota(store, Options.Create(new ScanHistoryOptions { MaxScans = 1_000, PruneToFraction = 0.9, WarnAtFraction = 0.95 }), metrics, NullLogger<ScanHistoryQuota>.Instance, TimeProvider.System);

        var removed = quota.Check();

        Assert.Equal(600, removed);
        Assert.Equal(600, pruned.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(900, store.Count());
        Assert.Equal(new ScanHistoryStatus("ok", 900, 1_000, 600), quota.Status);
        Assert.Equal(start.AddSeconds(600), Enumerable.Range(0, 7).SelectMany(s => store.History("09506000134352", $"S{s}", 10_000)).Min(r => r.ScannedAt));

        store.Add([.. Enumerable.Range(0, 60).Select(i => new ScanRecord("09506000134352", "S0", start.AddHours(1).AddSeconds(i), "authentic", null, null, "none", "x", null, null))]);
        Assert.Equal(0, quota.Check());
        Assert.Equal("near", quota.Status.State);
    }

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

using Provenance.Ingestion;
using Provenance.Storage;

namespace Provenance.Host.Composition;

/// <summary>
/// Keeps the ingestion totals (messages, seals, fixes, redeliveries) across restarts: seeds the counters from the last
/// checkpoint at start, and saves one every <see cref="Interval"/> and at a clean stop. After a crash the totals miss at
/// most the increments of the last interval; the stored seals, the journal and the dead letters themselves are exact.
/// </summary>
internal sealed partial class CounterCheckpoint(CounterStore store, IngestionMetrics metrics, TimeProvider time, ILogger<CounterCheckpoint> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string Messages = "ingestion.messages";
    private const string Seals = "ingestion.seals";
    private const string Fixes = "ingestion.fixes";
    private const string Duplicates = "ingestion.duplicates";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var saved = store.Load();
        long Get(string name) => saved.TryGetValue(name, out var v) ? v : 0;
        metrics.Seed(Get(Messages), Get(Seals), Get(Fixes), Get(Duplicates));
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Save();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Save();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync saves the final totals.
        }
    }

    private void Save()
    {
        try
        {
            store.Save(new Dictionary<string, long>
            {
                [Messages] = metrics.MessagesTotal,
                [Seals] = metrics.SealsTotal,
                [Fixes] = metrics.FixesTotal,
                [Duplicates] = metrics.DuplicatesTotal,
            });
        }
        catch (System.Data.Common.DbException e)
        {
            LogSaveFailed(e.Message);
        }
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Could not save the counter checkpoint: {Reason}; retrying at the next interval")]
    private partial void LogSaveFailed(string reason);
}

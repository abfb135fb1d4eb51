using Microsoft.Extensions.Hosting;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Runs a background service only while this process leads its work (<see cref="Leadership"/>): on a shared PostgreSQL
/// database exactly one instance runs each sink and dispatcher, and another takes over within seconds when it dies; on
/// SQLite the service simply runs. Register each with <c>AddSingleton&lt;IHostedService&gt;</c>: <c>AddHostedService</c>
/// keeps one registration per implementation type, so a second wrapper would silently not run.
/// </summary>
public sealed class LeaderElectedService(string work, BackgroundService inner, Leadership leadership) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunAsync(work, async lead =>
    {
        await inner.StartAsync(lead).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, lead).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lead.IsCancellationRequested)
        {
            // Stopping, or the lead is lost: the inner service stops below.
        }
        finally
        {
            await inner.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }, stoppingToken);
}

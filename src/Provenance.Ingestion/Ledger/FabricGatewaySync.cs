using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// Registers the registry's gateways on the Fabric channel at start and then every
/// <see cref="FabricLedgerOptions.GatewaySyncInterval"/>, so that gateways added or rotated are on the chain before
/// their first seals arrive (the engine also ensures it before each submission). Failures are logged and retried at
/// the next tick.
/// </summary>
public sealed partial class FabricGatewaySync(
    FabricGatewayRegistrar registrar, FabricLedgerOptions options, ILogger<FabricGatewaySync> logger, TimeProvider? time = null) : BackgroundService
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.GatewaySyncInterval, _time);
        try
        {
            do
            {
                try
                {
                    var changed = await registrar.SyncAllAsync(stoppingToken).ConfigureAwait(false);
                    if (changed > 0)
                    {
                        LogSynced(changed);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSyncFailed(e, options.GatewaySyncInterval.TotalSeconds);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 3120, Level = LogLevel.Information, Message = "Brought {Count} gateways up to date on the Fabric channel")]
    private partial void LogSynced(int count);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Could not register gateways on the Fabric channel; trying again in {IntervalSeconds} s")]
    private partial void LogSyncFailed(Exception exception, double intervalSeconds);
}

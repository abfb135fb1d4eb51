using Microsoft.Extensions.Hosting;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>Runs <see cref="TagChangeRelay"/> for the life of the host (it returns at once on SQLite).</summary>
public sealed class TagChangeRelayService(TagChangeRelay relay) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => relay.RunAsync(stoppingToken);
}

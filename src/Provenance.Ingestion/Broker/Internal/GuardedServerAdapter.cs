using System.Net;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// MQTTnet's server adapter for the embedded broker: the plain listener and the TLS listener (each a
/// <see cref="GuardedListener"/>), in place of MQTTnet's own TCP adapter. Thread-safe.
/// </summary>
internal sealed class GuardedServerAdapter : IMqttServerAdapter
{
    private readonly List<GuardedListener> _listeners = [];
    private CancellationTokenSource? _stopping;

    public GuardedServerAdapter(EmbeddedBrokerOptions options, BrokerCertificates? tls, ILogger logger)
    {
        var address = IPAddress.Parse(options.Address);
        var handles = new FileHandleBudget(options.FileHandleReserve);
        if (options.Plaintext)
        {
            _listeners.Add(new GuardedListener(new IPEndPoint(address, options.Port), null, options, handles, logger));
        }

        if (tls is not null)
        {
            _listeners.Add(new GuardedListener(new IPEndPoint(address, options.Tls.Port), tls, options, handles, logger));
        }
    }

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public IReadOnlyList<GuardedListener> Listeners => _listeners;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _stopping = new CancellationTokenSource();
        var handler = ClientHandler ?? throw new InvalidOperationException("the MQTT server did not set a client handler");
        foreach (var listener in _listeners)
        {
            listener.Start(handler, logger, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stopping is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _stopping?.Dispose();
    }
}

using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Provenance.Api.Http;

/// <summary>
/// Wraps Kestrel's socket transport so that <see cref="ConnectionGate"/> decides on each connection in the accept loop
/// itself: one over a limit is closed right there, before the next accept, so a burst of connections never holds more
/// file handles than the limits plus one. (A connection middleware alone runs later, on the thread pool, and a burst
/// can exhaust the process's file handles before it runs.)
/// </summary>
/// <remarks>
/// The gate is resolved when a listener binds (the host is starting, its settings validated), not when Kestrel is built.
/// </remarks>
public sealed class GatedConnectionListenerFactory(IConnectionListenerFactory transport, Func<ConnectionGate> gates) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gates);
        var gate = gates();
        var listener = await transport.BindAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return new GatedListener(listener, gate, gate.IsManagement(listener.EndPoint));
    }

    public bool CanBind(EndPoint endpoint) => transport is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    private sealed class GatedListener(IConnectionListener inner, ConnectionGate gate, bool management) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null || gate.TryAdmit(management, connection.RemoteEndPoint, connection))
                {
                    return connection;
                }

                connection.Abort(new ConnectionAbortedException("over a connection limit"));
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

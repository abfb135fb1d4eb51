using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// One TCP listener of the embedded broker (plain or TLS) that guards what MQTTnet's own listener does not: a cap on
/// connections per listener and per remote address and a file-handle reserve (checked before anything is read, so a
/// refused connection costs one accept and one close), a deadline for the TLS handshake, and a bound on the packet
/// size read from each connection. Thread-safe.
/// </summary>
internal sealed partial class GuardedListener : IDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly BrokerCertificates? _tls;
    private readonly EmbeddedBrokerOptions _options;
    private readonly ConnectionLimiter _limiter;
    private readonly ILogger _logger;
    private readonly RateLimitedCount _refusals = new(TimeSpan.FromSeconds(5));
    private Socket? _socket;
    private long _refused;

    public GuardedListener(IPEndPoint endpoint, BrokerCertificates? tls, EmbeddedBrokerOptions options, FileHandleBudget handles, ILogger logger)
    {
        _endpoint = endpoint;
        _tls = tls;
        _options = options;
        _logger = logger;
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerAddress, handles);
    }

    public int Port { get; private set; }

    public bool IsTls => _tls is not null;

    public int OpenConnections => _limiter.Open;

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Binds and starts accepting; <paramref name="handler"/> runs MQTT on each admitted connection.</summary>
    public void Start(Func<IMqttChannelAdapter, Task> handler, IMqttNetLogger mqttLogger, CancellationToken cancellationToken)
    {
        var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(_endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _ = Task.Run(() => AcceptAsync(socket, handler, mqttLogger, cancellationToken), CancellationToken.None);
    }

    public void Dispose() => _socket?.Dispose();

    private async Task AcceptAsync(Socket listener, Func<IMqttChannelAdapter, Task> handler, IMqttNetLogger mqttLogger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Typically EMFILE (out of file handles): back off instead of spinning; pending connections wait.
                LogAcceptFailed(Port, e.SocketErrorCode.ToString());
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var address = ((IPEndPoint)client.RemoteEndPoint!).Address;
            if (_limiter.TryAdmit(address) is { } reason)
            {
                Interlocked.Increment(ref _refused);
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                if (_refusals.Count() is { } refusedSinceLog)
                {
                    LogRefused(refusedSinceLog, Port, reason);
                }

                continue;
            }

            _ = Task.Run(() => ServeAsync(client, address, handler, mqttLogger, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, IPAddress address, Func<IMqttChannelAdapter, Task> handler, IMqttNetLogger mqttLogger, CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            X509Certificate2? clientCertificate = null;
            if (_tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_options.ConnectTimeout);
                await ssl.AuthenticateAsServerAsync(_tls.ServerOptions(_options.Tls.RequireClientCertificate), deadline.Token).ConfigureAwait(false);
                if (ssl.RemoteCertificate is { } remote)
                {
                    clientCertificate = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
                }
            }

            stream = new PacketSizeGuardStream(stream, _options.MaxPacketBytes);
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, client.RemoteEndPoint, clientCertificate);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65535));
            using var adapter = new MqttChannelAdapter(channel, formatter, mqttLogger);
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            LogConnectionEnded(address.ToString(), Port, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConnectionFailed(e, address.ToString(), Port);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            _limiter.Release(address);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "MQTT port {Port} refused {Count} connection(s) in the last seconds: {Reason}")]
    private partial void LogRefused(long count, int port, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "MQTT port {Port} cannot accept connections: {Error}; retrying in 100 ms")]
    private partial void LogAcceptFailed(int port, string error);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "MQTT connection from {Address} to port {Port} failed")]
    private partial void LogConnectionFailed(Exception exception, string address, int port);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Debug, Message = "MQTT connection from {Address} to port {Port} ended: {Reason}")]
    private partial void LogConnectionEnded(string address, int port, string reason);
}

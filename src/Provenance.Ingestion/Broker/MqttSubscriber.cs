using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;
using Provenance.Core.Resilience;
using Provenance.Ingestion.Tracing;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// Consumes gateway messages from an external broker: MQTT 5, fixed client id, Clean Start false with a long session
/// expiry (the broker queues while ingestion is down), a plain or shared subscription, and manual acknowledgement: a
/// PUBACK leaves only after <see cref="IngestionPipeline.EnqueueAsync"/>'s commit, followed by the end-to-end
/// acknowledgement the gateway asked for (<see cref="CommitAcknowledger"/>). The broker's Receive Maximum bounds
/// unacknowledged messages. Reconnects (and subscribes again) with back-off (the Polly pipeline <c>mqtt-connect</c>); <see cref="Connection"/> tells readiness
/// why it is not connected.
/// </summary>
public sealed partial class MqttSubscriber(ExternalBrokerOptions options, IngestionOptions ingestion, IngestionPipeline pipeline, ILogger<MqttSubscriber> logger, TimeProvider time, SessionRetirement? retirement = null) : BackgroundService
{
    private static readonly TimeSpan RetirementPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetirementProgressInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);
    private readonly CommitAcknowledger _acks = new(logger);
    private readonly Lazy<X509Certificate2?> _root = new(() => string.IsNullOrEmpty(options.CaFile) ? null : X509CertificateLoader.LoadCertificateFromFile(options.CaFile));
    private long _received;
    private long _settled;
    private long _lastReceivedAt;
    private int _connectionGeneration;
    private BrokerConnection _connection = BrokerConnection.NotYet(time.GetUtcNow());

    public long Received => Interlocked.Read(ref _received);

    /// <summary>End-to-end acknowledgements the broker took.</summary>
    public long AcknowledgementsSent => _acks.Sent;

    public bool IsConnected => Connection.IsConnected;

    /// <summary>The connection now: connected or not, since when, and the last reason it was not.</summary>
    public BrokerConnection Connection => Volatile.Read(ref _connection);

    public override void Dispose()
    {
        _acks.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var acknowledged = Task.CompletedTask;
        client.ApplicationMessageReceivedAsync += async e =>
        {
            // Take the next message at once (so that many commit together) but acknowledge strictly in arrival order,
            // each only after its commit: MQTT requires PUBACKs in the order of the PUBLISHes.
            e.AutoAcknowledge = false;
            Interlocked.Increment(ref _received);
            Interlocked.Exchange(ref _lastReceivedAt, time.GetTimestamp());
            var message = e.ApplicationMessage;
            var payload = message.Payload.ToArray();
            using var scope = IngestionLogScope.BeginMessage(logger, message.Topic, payload);
            var inbound = new InboundMessage(message.Topic, payload) { Trace = MessageTrace.From(message.UserProperties) };
            var generation = Volatile.Read(ref _connectionGeneration);
            var committed = await pipeline.EnqueueInboundAsync(inbound, stoppingToken).ConfigureAwait(false);
            acknowledged = AcknowledgeInOrderAsync(acknowledged, committed, e, client, generation, stoppingToken);
        };
        client.DisconnectedAsync += e =>
        {
            Interlocked.Increment(ref _connectionGeneration);
            var reason = e.ReasonString ?? e.Exception?.Message ?? e.Reason.ToString();
            if (Connection.IsConnected)
            {
                Volatile.Write(ref _connection, new BrokerConnection(false, time.GetUtcNow(), $"disconnected: {reason}"));
            }

            // Retiring a session disconnects on purpose, twice.
            if (!stoppingToken.IsCancellationRequested && retirement is null)
            {
                LogDisconnected(reason);
            }

            return Task.CompletedTask;
        };

        if (retirement is not null)
        {
            await RetireAsync(client, retirement, stoppingToken).ConfigureAwait(false);
            return;
        }

        var reconnect = SupervisorRetry.Build("mqtt-connect", time, static (attempt, _) => SupervisorRetry.Doubling(attempt, FirstDelay, MaxDelay), OnConnectRetry);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await reconnect.ExecuteAsync(async token => await ConnectAsync(client, token).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (client.IsConnected)
        {
            // Keep the session: the broker goes on queueing for this client id while we are away.
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval((uint)options.SessionExpirySeconds).Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Connects and subscribes once; a failure leaves the client disconnected (keeping the session) and is retried by the caller.</summary>
    private async Task<bool> ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ConnectOnlyAsync(client, BuildOptions(), cancellationToken).ConfigureAwait(false);

            // Subscribe on every connect, even with a session present: mosquitto 2.0 restores a persistent
            // session from its database after a restart without its shared subscription, so messages would
            // otherwise find no subscriber (measured: tests/Provenance.Engines.Tests, BrokerRestartTests).
            // Subscribing again to the same filter replaces the subscription and keeps the queued messages.
            var granted = await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(options.SubscriptionFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
            var code = granted.Items.Single().ResultCode;
            if (code is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            {
                throw new InvalidOperationException($"the broker refused the subscription {options.SubscriptionFilter} ({code}): the ingestion user needs 'topic read prov/v1/#' in the broker's ACL");
            }

            Volatile.Write(ref _connection, new BrokerConnection(true, time.GetUtcNow(), null));
            LogConnected(options.Host, options.Port, options.EffectiveClientId, options.SubscriptionFilter, result.IsSessionPresent);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval((uint)options.SessionExpirySeconds).Build(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<MqttClientConnectResult> ConnectOnlyAsync(IMqttClient client, MqttClientOptions connect, CancellationToken cancellationToken)
    {
        var result = await client.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException(result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
                ? $"the broker refused the connection ({result.ResultCode}): check Mqtt:Username and Mqtt:Password against the broker's password file"
                : $"the broker refused the connection ({result.ResultCode} {result.ReasonString})");
        }

        return result;
    }

    /// <summary>
    /// <c>provenance mqtt retire</c>: drains the session of a client id whose instance is gone for good, then ends it.
    /// Unsubscribing first stops the broker routing the group's new messages to the session; what it had queued is still
    /// delivered (mosquitto 2.0, measured by the retirement test). The session ends only after every message taken is
    /// committed and acknowledged, so a failure part-way keeps the rest queued for another run.
    /// </summary>
    private async Task RetireAsync(IMqttClient client, SessionRetirement retirement, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var connected = await ConnectOnlyAsync(client, BuildOptions(), stoppingToken).ConfigureAwait(false);
            Volatile.Write(ref _connection, new BrokerConnection(true, time.GetUtcNow(), null));
            retirement.Report(connected.IsSessionPresent
                ? $"connected to {options.Host}:{options.Port} as {options.EffectiveClientId}: the broker holds its session; taking the messages queued for it"
                : $"connected to {options.Host}:{options.Port} as {options.EffectiveClientId}: the broker holds no session for it (expired, or never created); nothing to take");
            Interlocked.Exchange(ref _lastReceivedAt, time.GetTimestamp());
            await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(options.SubscriptionFilter).Build(), stoppingToken).ConfigureAwait(false);

            var reported = time.GetTimestamp();
            while (Interlocked.Read(ref _settled) < Interlocked.Read(ref _received)
                || time.GetElapsedTime(Interlocked.Read(ref _lastReceivedAt)) < retirement.Quiet)
            {
                await Task.Delay(RetirementPoll, time, stoppingToken).ConfigureAwait(false);
                if (!client.IsConnected)
                {
                    throw new InvalidOperationException(
                        $"the broker connection dropped after {Interlocked.Read(ref _settled)} message(s) were committed (see the log for why: a message that could not be committed, or the broker): "
                        + "the session is kept with the rest; run the verb again");
                }

                if (time.GetElapsedTime(reported) >= RetirementProgressInterval)
                {
                    reported = time.GetTimestamp();
                    retirement.Report($"{Interlocked.Read(ref _settled)} message(s) committed so far");
                }
            }

            await _acks.WaitUntilSentAsync(stoppingToken).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval((uint)options.SessionExpirySeconds).Build(), stoppingToken).ConfigureAwait(false);

            // MQTT 5 may lower the expiry to 0 on DISCONNECT, but a clean start is the unambiguous way to end a session.
            var end = BuildOptions();
            end.CleanSession = true;
            end.SessionExpiryInterval = 0;
            await ConnectOnlyAsync(client, end, stoppingToken).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), stoppingToken).ConfigureAwait(false);
            Volatile.Write(ref _connection, new BrokerConnection(false, time.GetUtcNow(), "retired"));
            var outcome = new SessionRetirementOutcome(options.EffectiveClientId, connected.IsSessionPresent, Interlocked.Read(ref _settled), time.GetElapsedTime(started));
            LogRetired(outcome.ClientId, outcome.Messages, outcome.SessionPresent);
            retirement.Complete(outcome);
        }
        catch (Exception e)
        {
            retirement.Fail(e);
        }
    }

    private void OnConnectRetry(Exception? failure, int attempt, TimeSpan delay)
    {
        var reason = Describe(failure!);
        var previous = Connection;
        Volatile.Write(ref _connection, new BrokerConnection(false, previous.IsConnected ? time.GetUtcNow() : previous.Since, $"cannot connect: {reason}"));
        LogConnectFailed(options.Host, options.Port, reason, delay.TotalSeconds);
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

    /// <summary>
    /// Acknowledges one message after its commit and after every message received before it. Never faults: one failed
    /// acknowledgement must not stop the ones after it (a faulted link would hold every later PUBACK back for good, and
    /// the broker would stop delivering once its in-flight window is full).
    /// </summary>
    private async Task AcknowledgeInOrderAsync(Task previous, Task<bool> committed, MqttApplicationMessageReceivedEventArgs e, IMqttClient client, int generation, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        try
        {
            var stored = await committed.ConfigureAwait(false);
            var sameConnection = generation == Volatile.Read(ref _connectionGeneration);
            if (stored)
            {
                if (sameConnection)
                {
                    await e.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Received on a connection that has dropped since: its packet id means nothing on the new one. The
                    // broker delivers the message again with the session, and that copy (a duplicate now) is acknowledged.
                    LogAckSkipped();
                }

                if (_acks.For(e.ApplicationMessage) is { } ack)
                {
                    _acks.Send(client, ack, cancellationToken);
                }

                Interlocked.Increment(ref _settled);
                return;
            }

            // Not committed: leave it unacknowledged and drop the connection, so the broker delivers it again (a connection
            // that dropped since has done so already).
            if (sameConnection && client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(), CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Any failure here is a connection gone mid-acknowledgement; the session brings the message again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAckFailed(ex.Message);
        }
    }

    private MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(options.EffectiveClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpirySeconds)
            .WithReceiveMaximum((ushort)Math.Clamp(ingestion.MaxUnacknowledged, 1, ushort.MaxValue))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithEndPoint(System.Net.IPAddress.TryParse(options.Host, out var address)
                ? new System.Net.IPEndPoint(address, options.Port)
                : new System.Net.DnsEndPoint(options.Host, options.Port));
        if (!string.IsNullOrEmpty(options.Username))
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (options.UseTls)
        {
            var root = _root.Value;
            builder.WithTlsOptions(tls => tls
                .UseTls(true)
                // The name checked against the certificate is the configured host, also when it is an IP address (an
                // IP subjectAltName); without it the check would see no name at all.
                .WithTargetHost(options.Host)
                .WithCertificateValidationHandler(v => BrokerCertificate.IsTrusted(v.Certificate, v.SslPolicyErrors, root)));
        }

        var built = builder.Build();

        // The socket buffers: MQTTnet's 8 KiB default stalls QoS 1 streams under load.
        var tcp = (MqttClientTcpOptions)built.ChannelOptions;
        tcp.BufferSize = options.SocketBufferBytes;
        tcp.NoDelay = true;
        return built;
    }

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Retired the broker session of {ClientId}: {Messages} queued message(s) committed (session present: {SessionPresent}); the broker routes nothing more to it")]
    private partial void LogRetired(string clientId, long messages, bool sessionPresent);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} as {ClientId}, subscribed {Filter} (session present: {SessionPresent})")]
    private partial void LogConnected(string host, int port, string clientId, string filter, bool sessionPresent);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Cannot connect to MQTT broker {Host}:{Port}: {Reason}; retrying in {DelaySeconds} s")]
    private partial void LogConnectFailed(string host, int port, string reason, double delaySeconds);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Acknowledgement not sent: {Reason}")]
    private partial void LogAckFailed(string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "A message received before the broker connection dropped is not acknowledged on the new connection; the broker delivers it again")]
    private partial void LogAckSkipped();

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Disconnected from MQTT broker: {Reason}")]
    private partial void LogDisconnected(string reason);
}

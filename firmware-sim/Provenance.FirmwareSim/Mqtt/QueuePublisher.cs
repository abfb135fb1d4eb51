using MQTTnet;
using MQTTnet.Adapter;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// Drains the queue to the broker in order: connects (with back-off while the broker is unreachable), decides how
/// messages are acknowledged (<see cref="AckMode"/>: end-to-end by ingestion through <see cref="EndToEndDrain"/>, or
/// by PUBACK with one message in flight), publishes the retained <c>online</c> status, then publishes each queued
/// message with QoS 1. On stop it publishes <c>offline</c> and disconnects cleanly.
/// </summary>
internal sealed class QueuePublisher(
    SimulatorOptions options,
    FileMessageQueue queue,
    GatewayMessageFactory messages,
    AckLog? ackLog,
    SimulatorCounters counters,
    TimeProvider time,
    Action<long, QueuedMessage> acknowledged,
    Action<long, QueuedMessage> published,
    Action<bool, string?> connectionChanged)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);

    private readonly IngestionAcks _acks = new(options.SiteId, options.GatewayId);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var endToEnd = new EndToEndDrain(options, queue, _acks, ackLog, counters, time, acknowledged, published, connectionChanged);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += _acks.OnMessageAsync;
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        var retry = FirstRetry;
        string? lastError = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var will = messages.Status(StatusMessage.Offline, time.GetUtcNow());
                disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var answer = await client.ConnectAsync(MqttSettings.Build(options, messages.StatusTopic, will), stopping).ConfigureAwait(false);
                if (answer.ResultCode != MqttClientConnectResultCode.Success)
                {
                    // Depending on the protocol version MQTTnet answers a refusal with a result or with an exception.
                    throw new MqttConnectingFailedException($"Connecting with MQTT server failed ({answer.ResultCode}).", null);
                }
            }
            catch (MqttConnectingFailedException e) when (!stopping.IsCancellationRequested && RefusalCode(e) is { } code)
            {
                counters.ConnectFailed();
                throw new BrokerRefusedException(Refusal(code), e) { ReasonCode = code.ToString() };
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not OutOfMemoryException)
            {
                counters.ConnectFailed();
                if (e.Message != lastError)
                {
                    lastError = e.Message;
                    connectionChanged(false, $"broker {options.Host}:{options.Port} unreachable: {e.Message}");
                }

                await DelayAsync(retry, stopping).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, options.ReconnectDelayMax.Ticks));
                continue;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }

            retry = FirstRetry;
            lastError = null;
            counters.Connected(true);
            try
            {
                var ingestionAcks = await ChooseAcknowledgementAsync(client, stopping).ConfigureAwait(false);
                connectionChanged(true, ingestionAcks
                    ? $"connected to {options.Host}:{options.Port}; a message leaves the queue when ingestion acknowledges it ({_acks.Topic})"
                    : null);
                await PublishStatusAsync(client, StatusMessage.Online, stopping).ConfigureAwait(false);
                if (ingestionAcks)
                {
                    await endToEnd.RunAsync(client, disconnected.Task, stopping).ConfigureAwait(false);
                }
                else
                {
                    await DrainAsync(client, stopping).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not (InvalidDataException or OutOfMemoryException))
            {
                counters.Connected(false);
                connectionChanged(false, $"connection lost: {e.Message}");
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }

        await SignOffAsync(client).ConfigureAwait(false);
    }

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private static readonly MqttClientConnectResultCode[] Refusals =
    [
        MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized, MqttClientConnectResultCode.ClientIdentifierNotValid,
        MqttClientConnectResultCode.Banned, MqttClientConnectResultCode.BadAuthenticationMethod,
    ];

    /// <summary>The refusal named in the exception's message ("Connecting with MQTT server failed (NotAuthorized)."), if it is one.</summary>
    private static MqttClientConnectResultCode? RefusalCode(MqttConnectingFailedException e) =>
        Refusals.Cast<MqttClientConnectResultCode?>().FirstOrDefault(c => e.Message.Contains($"({c})", StringComparison.Ordinal));

    /// <summary>One line: what the broker said, and what to do about it.</summary>
    private string Refusal(MqttClientConnectResultCode code)
    {
        var user = options.Username ?? options.GatewayId;
        var broker = $"{options.Host}:{options.Port}";
        if (options.IotHub)
        {
            return $"not authorised: the server at {broker} refused device '{options.GatewayId}' of hub '{options.IotHubHostName}' ({code}); "
                + "check the HostName (the server's Broker:IotHub:HostName) and the SharedAccessKey in --connection-string: use the one 'provenance gateways add --auth sas' printed.";
        }

        return code switch
        {
            MqttClientConnectResultCode.ClientIdentifierNotValid =>
                $"not authorised: the broker at {broker} refused client id '{options.GatewayId}' ({code}); the client id must be the gateway id the broker knows: check --gateway.",
            _ => $"not authorised: the broker at {broker} refused user '{user}' ({code}); "
                + (options.Password is null ? "pass --password with the gateway's MQTT secret" : "the --password is not this gateway's secret")
                + ": use the secret 'provenance gateways add' printed for it (embedded broker), or the one set with deploy/mosquitto/add-gateway.sh (mosquitto).",
        };
    }

    /// <summary>
    /// Subscribes to the gateway's acknowledgement topic unless <see cref="AckMode.Broker"/>: true when ingestion's
    /// acknowledgements will arrive. A broker that refuses the subscription (the embedded broker, whose PUBACK already
    /// means stored) leaves PUBACK mode under <see cref="AckMode.Auto"/>, and is an error under <see cref="AckMode.Ingestion"/>.
    /// </summary>
    private async Task<bool> ChooseAcknowledgementAsync(IMqttClient client, CancellationToken stopping)
    {
        var endToEnd = false;
        if (options.Ack != AckMode.Broker && !options.IotHub)
        {
            var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_acks.Topic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), stopping).ConfigureAwait(false);
            var code = result.Items.Single().ResultCode;
            endToEnd = code is MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2;
            if (!endToEnd && options.Ack == AckMode.Ingestion)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), stopping).ConfigureAwait(false);
                await DelayAsync(options.ReconnectDelayMax, stopping).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"the broker refused the subscription to {_acks.Topic} ({code}): give the gateway 'topic read {_acks.Topic}' in the broker's ACL (deploy/mosquitto/add-gateway.sh does), or run with --ack broker");
            }
        }

        counters.EndToEnd(endToEnd);
        return endToEnd;
    }

    private async Task DrainAsync(IMqttClient client, CancellationToken stopping)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            var (index, message) = await queue.PeekAsync(stopping).ConfigureAwait(false);
            counters.Sent(message.EventIds.Count);
            var topic = options.IotHub ? IotHubDialect.EventsTopic(options.GatewayId, message.Kind) : message.Topic;
            var result = await PublishAsync(client, topic, message.Payload, stopping).ConfigureAwait(false);
            if (result.ReasonCode is MqttClientPublishReasonCode.NoMatchingSubscribers or MqttClientPublishReasonCode.UnspecifiedError
                or MqttClientPublishReasonCode.ImplementationSpecificError or MqttClientPublishReasonCode.QuotaExceeded)
            {
                // Not delivered to ingestion (no subscriber yet — e.g. a broker that restarted before ingestion
                // re-subscribed — or ingestion could not commit): keep it at the head of the queue and send it again.
                counters.NotTaken();
                connectionChanged(true, $"{GatewayTopic.KindName(message.Kind)} message {index} not taken ({result.ReasonCode}); retrying");
                await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
                continue;
            }

            if (result.ReasonCode is MqttClientPublishReasonCode.Success)
            {
                counters.Published(message.EventIds.Count);
                published(index, message);
                ackLog?.Record(message.EventIds);
                queue.Acknowledge(index);
                counters.Acked(message.EventIds.Count);
                acknowledged(index, message);
            }
            else
            {
                // The broker read the message and refused it (e.g. not authorised): re-sending will not help.
                queue.Acknowledge(index);
                counters.Rejected();
                connectionChanged(true, $"broker refused {GatewayTopic.KindName(message.Kind)} message {index}: {result.ReasonCode} {result.ReasonString}");
            }
        }
    }

    private async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload, CancellationToken stopping)
    {
        using var span = PublishTracing.Start(options, topic);
        var message = PublishTracing.Carry(options, span, MqttSettings.Message(topic, payload, retain: false));
        return await client.PublishAsync(message, stopping).ConfigureAwait(false);
    }

    private async Task PublishStatusAsync(IMqttClient client, string state, CancellationToken cancellationToken) =>
        await client.PublishAsync(options.IotHub
            ? MqttSettings.Message(IotHubDialect.EventsTopic(options.GatewayId, GatewayMessageKind.Status), messages.Status(state, time.GetUtcNow()), retain: false)
            : MqttSettings.Message(messages.StatusTopic, messages.Status(state, time.GetUtcNow()), retain: true), cancellationToken).ConfigureAwait(false);

    private async Task SignOffAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await PublishStatusAsync(client, StatusMessage.Offline, timeout.Token).ConfigureAwait(false);
            var disconnect = new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build();
            await client.DisconnectAsync(disconnect, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            connectionChanged(false, $"sign-off failed: {e.Message}");
        }
        finally
        {
            counters.Connected(false);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the run.
        }
    }
}

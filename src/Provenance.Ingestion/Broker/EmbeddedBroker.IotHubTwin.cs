using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Provenance.Core.Registry;
using Provenance.Core.Twins;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.IotHub;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// The device side of IoT Hub's twin and direct methods: a device subscribes to the documented <c>$iothub/</c> topics
/// (and its own devicebound topic; anything else is refused), reads its twin, patches its reported properties, and
/// answers direct methods. Twins persist in <see cref="Storage.DeviceTwinStore"/>.
/// </summary>
public sealed partial class EmbeddedBroker
{
    /// <summary>One IoT Hub connection: who logged in, until when, and which cloud-to-device features it subscribed to.</summary>
    private sealed class IotHubSession(IotHubDeviceLogin login, DateTimeOffset tokenExpiry)
    {
        private int _features;

        public IotHubDeviceLogin Login { get; } = login;

        public DateTimeOffset TokenExpiry { get; } = tokenExpiry;

        /// <summary>The MQTTnet session to deliver to, known from the device's first subscription.</summary>
        public MqttSessionStatus? Status { get; set; }

        public bool Has(IotHubFeatures feature) => ((IotHubFeatures)Volatile.Read(ref _features) & feature) == feature;

        public void Enable(IotHubFeatures feature) => Interlocked.Or(ref _features, (int)feature);

        public void Disable(IotHubFeatures feature) => Interlocked.And(ref _features, ~(int)feature);
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems[IotHubItem] is IotHubSession session && IotHubTopics.Subscription(session.Login.DeviceId, e.TopicFilter.Topic) is { } feature)
        {
            if (e.TopicFilter.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
            {
                // As IoT Hub does: a QoS 2 subscription is granted QoS 1.
                e.TopicFilter.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
                e.Response.ReasonCode = MqttSubscribeReasonCode.GrantedQoS1;
            }

            session.Status = e.Session;
            session.Enable(feature);
            return Task.CompletedTask;
        }

        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        return Task.CompletedTask;
    }

    private Task InterceptUnsubscriptionAsync(InterceptingUnsubscriptionEventArgs e)
    {
        if (e.SessionItems[IotHubItem] is IotHubSession session && IotHubTopics.Subscription(session.Login.DeviceId, e.Topic) is { } feature)
        {
            session.Disable(feature);
        }

        return Task.CompletedTask;
    }

    private Task TrackConnectedAsync(ClientConnectedEventArgs e)
    {
        if (e.SessionItems[IotHubItem] is IotHubSession session)
        {
            _iotHubDevices[e.ClientId] = session;
        }

        return Task.CompletedTask;
    }

    private Task TrackDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (e.SessionItems?[IotHubItem] is IotHubSession session)
        {
            // A replacing connection may already have taken the slot: remove only this one.
            _iotHubDevices.TryRemove(new KeyValuePair<string, IotHubSession>(e.ClientId, session));
        }

        return Task.CompletedTask;
    }

    /// <summary>Handles a publish on <c>$iothub/…</c>; false when the topic is not one a device may publish on.</summary>
    private async Task<bool> HandleIotHubRequestAsync(GatewayRegistration gateway, IotHubSession session, string topic, byte[] payload)
    {
        if (IotHubTopics.ParseRequest(topic) is not { } request)
        {
            return false;
        }

        switch (request.Kind)
        {
            case IotHubRequestKind.TwinGet:
                var twin = _twins?.Find(gateway.Id);
                await AnswerTwinAsync(session, twin is null ? 404 : 200, request.RequestId, twin?.ToDeviceDocument() ?? Problem(404, "the device has no twin")).ConfigureAwait(false);
                break;
            case IotHubRequestKind.TwinPatchReported:
                await PatchReportedAsync(gateway, session, request.RequestId, payload).ConfigureAwait(false);
                break;
            case IotHubRequestKind.MethodResponse:
                if (_pendingMethods.TryGetValue(request.RequestId, out var pending) && pending.DeviceId == gateway.Id)
                {
                    pending.Answer.TrySetResult(new DirectMethodOutcome(DirectMethodState.Answered, request.Status, payload.Length == 0 ? null : Encoding.UTF8.GetString(payload)));
                }

                break;
        }

        return true;
    }

    private async Task PatchReportedAsync(GatewayRegistration gateway, IotHubSession session, string requestId, byte[] payload)
    {
        if (_twins is null)
        {
            await AnswerTwinAsync(session, 404, requestId, Problem(404, "this server keeps no twins")).ConfigureAwait(false);
            return;
        }

        var patch = TwinDocument.ParsePatch(Encoding.UTF8.GetString(payload), out var error);
        try
        {
            var twin = patch is null ? null : _twins.PatchReported(gateway.Id, patch);
            if (twin is null)
            {
                LogTwinPatchRefused(Topics.Bounded(gateway.Id), patch is null ? error : "the gateway is not registered");
                await AnswerTwinAsync(session, 400, requestId, Problem(400, patch is null ? error : "the gateway is not registered")).ConfigureAwait(false);
                return;
            }

            await AnswerTwinAsync(session, 204, requestId, null, twin.ReportedVersion).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            LogTwinPatchRefused(Topics.Bounded(gateway.Id), e.Message);
            await AnswerTwinAsync(session, 400, requestId, Problem(400, e.Message)).ConfigureAwait(false);
        }
    }

    // IoT Hub's error bodies carry a six-digit errorCode, which the device SDKs turn into an error.
    private static JsonObject Problem(int status, string message) => new() { ["errorCode"] = status * 1000, ["message"] = message };

    private async Task AnswerTwinAsync(IotHubSession session, int status, string requestId, JsonObject? body, long? version = null)
    {
        if (session.Status is { } target && session.Has(IotHubFeatures.TwinResponses))
        {
            await target.DeliverApplicationMessageAsync(Message(IotHubTopics.TwinResponse(status, requestId, version), body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString()), MqttQualityOfServiceLevel.AtMostOnce)).ConfigureAwait(false);
        }
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload, MqttQualityOfServiceLevel qos) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build();

    [LoggerMessage(EventId = 2221, Level = LogLevel.Warning, Message = "Refused the reported-properties patch of device {DeviceId}: {Reason}")]
    private partial void LogTwinPatchRefused(string deviceId, string reason);
}

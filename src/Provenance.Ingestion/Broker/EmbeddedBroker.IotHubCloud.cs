using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using Provenance.Core.Twins;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.IotHub;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// The cloud side of IoT Hub's dialect for devices connected to this broker: desired-property pushes, direct methods
/// (answered within a timeout, or refused at once when the device is not connected and listening), and
/// cloud-to-device messages at QoS 1.
/// </summary>
public sealed partial class EmbeddedBroker : IDeviceChannel
{
    private sealed record PendingMethod(string DeviceId, TaskCompletionSource<DirectMethodOutcome> Answer);

    private readonly ConcurrentDictionary<string, IotHubSession> _iotHubDevices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingMethod> _pendingMethods = new(StringComparer.Ordinal);

    public async Task<bool> PushDesiredAsync(string deviceId, string patchJson, long version, CancellationToken cancellationToken)
    {
        if (Listening(deviceId, IotHubFeatures.DesiredUpdates) is not { } session)
        {
            return false;
        }

        await session.Status!.DeliverApplicationMessageAsync(Message(IotHubTopics.DesiredPush(version), Encoding.UTF8.GetBytes(patchJson), MqttQualityOfServiceLevel.AtMostOnce)).ConfigureAwait(false);
        return true;
    }

    public async Task<DirectMethodOutcome> InvokeMethodAsync(string deviceId, string methodName, string payloadJson, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!DirectMethods.IsValidName(methodName))
        {
            throw new ArgumentException("a method name is 1-100 letters, digits, '-' or '_'", nameof(methodName));
        }

        if (Listening(deviceId, IotHubFeatures.Methods) is not { } session)
        {
            return DirectMethodOutcome.Offline;
        }

        var requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var pending = new PendingMethod(deviceId, new TaskCompletionSource<DirectMethodOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pendingMethods[requestId] = pending;
        try
        {
            await session.Status!.DeliverApplicationMessageAsync(Message(IotHubTopics.MethodInvocation(methodName, requestId), Encoding.UTF8.GetBytes(payloadJson), MqttQualityOfServiceLevel.AtMostOnce)).ConfigureAwait(false);
            return await pending.Answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogMethodTimedOut(Topics.Bounded(deviceId), methodName, timeout.TotalSeconds);
            return DirectMethodOutcome.TimedOut;
        }
        finally
        {
            _pendingMethods.TryRemove(requestId, out _);
        }
    }

    public async Task<bool> SendToDeviceAsync(string deviceId, byte[] body, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        if (Listening(deviceId, IotHubFeatures.CloudToDevice) is not { } session)
        {
            return false;
        }

        var topic = IotHubTopics.CloudToDevice(deviceId, Guid.NewGuid().ToString("D"), properties);
        await session.Status!.DeliverApplicationMessageAsync(Message(topic, body, MqttQualityOfServiceLevel.AtLeastOnce)).ConfigureAwait(false);
        return true;
    }

    private IotHubSession? Listening(string deviceId, IotHubFeatures feature) =>
        _iotHubDevices.TryGetValue(deviceId, out var session) && session.Status is not null && session.Has(feature) ? session : null;

    [LoggerMessage(EventId = 2222, Level = LogLevel.Warning, Message = "Direct method {Method} on device {DeviceId} was not answered within {Seconds} s")]
    private partial void LogMethodTimedOut(string deviceId, string method, double seconds);
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Provenance.Testing;

/// <summary>MQTTnet 5 clients for the broker tests (MQTT 5, 1 MiB TCP buffers).</summary>
public static class Mqtt
{
    public static readonly MqttClientFactory Factory = new();

    public static MqttClientOptions Options(int port, string clientId, string? user, string? password, bool cleanStart = true, uint sessionExpirySeconds = 0)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(IPAddress.Loopback.ToString(), port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(cleanStart)
            .WithSessionExpiryInterval(sessionExpirySeconds)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (user is not null)
        {
            builder = builder.WithCredentials(user, password);
        }

        var options = builder.Build();
        var tcp = (MqttClientTcpOptions)options.ChannelOptions;
        // MQTTnet's default 8 KiB buffer stalls long QoS 1 streams.
        tcp.BufferSize = 1 << 20;
        tcp.NoDelay = true;
        return options;
    }

    /// <summary>Connect result code, or the exception text when the client throws on refusal.</summary>
    public static async Task<string> TryConnectAsync(MqttClientOptions options)
    {
        using var client = Factory.CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(options);
            return result.ResultCode.ToString();
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            return e.Message + " " + e.InnerException?.Message;
        }
    }

    public static async Task<IMqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = Factory.CreateMqttClient();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"CONNECT of '{options.ClientId}' refused: {result.ResultCode} {result.ReasonString}");
        }

        return client;
    }

    /// <summary>Publishes <paramref name="count"/> QoS 1 messages (payload = sequence number), a window of them in flight at a time.</summary>
    public static async Task<int> PublishSequenceAsync(IMqttClient client, string topic, int count, int window = 200)
    {
        var acknowledged = 0;
        using var gate = new SemaphoreSlim(window);
        var tasks = new List<Task>(count);
        for (var seq = 0; seq < count; seq++)
        {
            await gate.WaitAsync();
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture)))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            tasks.Add(PublishOne(message));
        }

        await Task.WhenAll(tasks);
        return acknowledged;

        async Task PublishOne(MqttApplicationMessage message)
        {
            try
            {
                var result = await client.PublishAsync(message);
                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    Interlocked.Increment(ref acknowledged);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

/// <summary>Collects received messages; counts distinct sequence numbers.</summary>
public sealed class Receiver
{
    private readonly HashSet<string> _distinct = [];
    private readonly List<(string Topic, string Payload)> _all = [];
    private long _lastTicks = Stopwatch.GetTimestamp();

    public int DistinctCount
    {
        get
        {
            lock (_distinct)
            {
                return _distinct.Count;
            }
        }
    }

    public int TotalCount
    {
        get
        {
            lock (_distinct)
            {
                return _all.Count;
            }
        }
    }

    public IReadOnlyList<(string Topic, string Payload)> Messages
    {
        get
        {
            lock (_distinct)
            {
                return _all.ToList();
            }
        }
    }

    public void Attach(IMqttClient client) =>
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.ConvertPayloadToString() ?? "";
            lock (_distinct)
            {
                _distinct.Add(payload);
                _all.Add((e.ApplicationMessage.Topic, payload));
                _lastTicks = Stopwatch.GetTimestamp();
            }

            return Task.CompletedTask;
        };

    public bool Contains(string payload)
    {
        lock (_distinct)
        {
            return _distinct.Contains(payload);
        }
    }

    /// <summary>
    /// Waits until <paramref name="expected"/> distinct payloads arrived, or nothing new arrived for
    /// <paramref name="quiet"/> (the broker has nothing more to deliver), or the overall limit passed.
    /// </summary>
    public async Task<int> WaitForAsync(int expected, TimeSpan quiet, TimeSpan limit)
    {
        var overall = Stopwatch.StartNew();
        lock (_distinct)
        {
            _lastTicks = Stopwatch.GetTimestamp();
        }

        while (overall.Elapsed < limit)
        {
            long last;
            lock (_distinct)
            {
                if (_distinct.Count >= expected)
                {
                    return _distinct.Count;
                }

                last = _lastTicks;
            }

            if (Stopwatch.GetElapsedTime(last) > quiet)
            {
                break;
            }

            await Task.Delay(20);
        }

        return DistinctCount;
    }
}

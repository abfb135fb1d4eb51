using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;

namespace Provenance.Bench.Harness;

/// <summary>
/// The ingestion baseline: a bare MQTTnet subscriber that only counts the QoS 1 gateway stream (no verification, no
/// storage). It runs in a child process of its own (<see cref="CounterProcess"/>), so that the simulator fleet's CPU
/// (signing, publishing) is not charged to the measured side, as <c>serve</c> is a process of its own too.
/// </summary>
public sealed class CountingSubscriber : IAsyncDisposable
{
    /// <summary>The first argument that makes <c>provenance-bench</c> run as the counting child.</summary>
    public const string ChildVerb = "count-subscriber";

    private readonly IMqttClient _client;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _batch;
    private readonly Lock _gate = new();
    private readonly List<(long Ticks, int Events)> _received = new(1 << 16);

    private CountingSubscriber(IMqttClient client, int batch)
    {
        _client = client;
        _batch = batch;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            // Seal messages carry a batch of events; GNSS and status messages none.
            var events = e.ApplicationMessage.Topic.EndsWith("/seal", StringComparison.Ordinal) ? _batch : 0;
            lock (_gate)
            {
                _received.Add((_clock.ElapsedTicks, events));
            }

            return Task.CompletedTask;
        };
    }

    public static async Task<CountingSubscriber> ConnectAsync(int port, int batch)
    {
        var factory = new MqttClientFactory();
        var client = factory.CreateMqttClient();
        var subscriber = new CountingSubscriber(client, batch);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(tcp =>
            {
                tcp.BufferSize = 1024 * 1024;
                tcp.NoDelay = true;
            })
            .WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("bench-counter")
            .WithCleanStart(true)
            .Build();
        await client.ConnectAsync(options);
        await client.SubscribeAsync(factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic("prov/v1/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build());
        return subscriber;
    }

    /// <summary>Restarts the clock and forgets what was counted (call just before the publishers start).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _received.Clear();
            _clock.Restart();
        }
    }

    /// <summary>Events and messages per second over the steady window (after <paramref name="warmup"/>).</summary>
    public (double EventsPerSecond, double MessagesPerSecond, long Events) Rates(TimeSpan warmup)
    {
        lock (_gate)
        {
            var from = (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var steady = _received.Where(r => r.Ticks >= from).ToList();
            if (steady.Count < 2)
            {
                return (0, 0, 0);
            }

            var seconds = Math.Max((steady[^1].Ticks - from) / (double)Stopwatch.Frequency, 0.001);
            var events = steady.Sum(r => (long)r.Events);
            return (events / seconds, steady.Count / seconds, events);
        }
    }

    /// <summary>
    /// The child's loop: connects, prints <c>ready</c>, then answers the parent's lines on stdin: <c>reset</c> and
    /// <c>rates SECONDS</c> (warm-up to leave out) with <c>EVENTS_PER_S MESSAGES_PER_S EVENTS</c>; ends at end of input.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        var batch = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        await using var subscriber = await ConnectAsync(port, batch);
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["reset"])
            {
                subscriber.Reset();
                Console.WriteLine("ok");
            }
            else if (parts is ["rates", var warmup])
            {
                var (events, messages, total) = subscriber.Rates(TimeSpan.FromSeconds(double.Parse(warmup, System.Globalization.CultureInfo.InvariantCulture)));
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{events:R} {messages:R} {total}"));
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}

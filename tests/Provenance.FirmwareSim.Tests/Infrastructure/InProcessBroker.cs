using System.Buffers;
using System.Net;
using System.Text;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>
/// A real MQTTnet broker in this process on 127.0.0.1. Records every publish it accepts (in order) and can hold a
/// client id out until released, so a subscriber is in place before the gateway gets in.
/// </summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private volatile string? _heldClientId;

    private InProcessBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.InterceptingPublishAsync += e =>
        {
            var payload = Encoding.ASCII.GetString(e.ApplicationMessage.Payload.ToArray());
            var traceParent = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == "traceparent") is { } property ? Encoding.UTF8.GetString(property.ValueBuffer.Span) : null;
            Published.Add(new ReceivedMessage(e.ApplicationMessage.Topic, payload, e.ApplicationMessage.Retain) { TraceParent = traceParent });

            // Standing in for ingestion (as the product's embedded broker does): the broker itself takes the message,
            // so the gateway gets a success PUBACK rather than "no matching subscribers", which it would resend.
            e.ProcessPublish = !Consume;
            return Task.CompletedTask;
        };
        _server.ValidatingConnectionAsync += e =>
        {
            if (e.ClientId == _heldClientId)
            {
                e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            }

            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    /// <summary>Take publishes here instead of routing them to subscribers (the broker plays ingestion).</summary>
    public bool Consume { get; init; }

    /// <summary>Every publish the broker accepted, in order.</summary>
    public MessageLog Published { get; } = new();

    /// <summary>Creates the broker on <paramref name="port"/> (not started: nothing listens yet).</summary>
    public static InProcessBroker Create(int port, string? holdClientId = null, bool consume = false)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        return new InProcessBroker(new MqttServerFactory().CreateMqttServer(options), port) { _heldClientId = holdClientId, Consume = consume };
    }

    public static async Task<InProcessBroker> StartAsync(int? port = null, bool consume = false)
    {
        var broker = Create(port ?? FreePort.Next(), consume: consume);
        await broker.StartAsync();
        return broker;
    }

    public Task StartAsync() => _server.StartAsync();

    /// <summary>Lets the held client id connect from now on.</summary>
    public void Release() => _heldClientId = null;

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>At a connection limit new connections are closed at once, and the connections already open keep being served.</summary>
public sealed class BrokerConnectionLimitTests
{
    [Fact]
    public async Task One_address_at_its_limit_is_refused_while_another_address_and_open_connections_are_served()
    {
        await using var rig = await BrokerRig.StartAsync(new EmbeddedBrokerOptions { Port = 0, MaxConnectionsPerAddress = 5, ConnectTimeout = TimeSpan.FromSeconds(60) });
        var gateway = rig.AddGateway("gw-limit");
        using var client = await rig.ConnectAsync(gateway);
        var flood = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                flood.Add(await OpenFromAsync(IPAddress.Parse("127.0.0.2"), rig.Broker.Port));
            }

            Assert.True(await RefusedAsync(IPAddress.Parse("127.0.0.2"), rig.Broker.Port), "the sixth connection from 127.0.0.2 was not closed");
            Assert.True(rig.Broker.RefusedConnections >= 1);
            await rig.SealAndConfirmAsync(client, gateway);
            using var second = await rig.ConnectAsync(rig.AddGateway("gw-limit-2"));
            Assert.False(await ClosedByPeerAsync(flood[0], TimeSpan.FromMilliseconds(300)), "an admitted connection was closed");
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task The_listener_at_its_limit_refuses_new_connections_and_serves_the_open_ones()
    {
        await using var rig = await BrokerRig.StartAsync(new EmbeddedBrokerOptions { Port = 0, MaxConnections = 4, ConnectTimeout = TimeSpan.FromSeconds(60) });
        var gateway = rig.AddGateway("gw-cap");
        using var client = await rig.ConnectAsync(gateway);
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                idle.Add(await OpenFromAsync(IPAddress.Loopback, rig.Broker.Port));
            }

            Assert.True(await RefusedAsync(IPAddress.Loopback, rig.Broker.Port));
            await rig.SealAndConfirmAsync(client, gateway);

            idle[0].Dispose();
            await WaitUntilAsync(() => rig.Broker.OpenConnections < 4);
            using var admitted = await rig.ConnectAsync(rig.AddGateway("gw-cap-2"));
            Assert.Equal(4, rig.Broker.OpenConnections);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task No_connection_is_admitted_that_would_eat_into_the_file_handle_reserve()
    {
        var limit = SoftFileLimit();
        await using var rig = await BrokerRig.StartAsync(new EmbeddedBrokerOptions { Port = 0, FileHandleReserve = (int)Math.Min(limit, 1_000_000) });
        var gateway = rig.AddGateway("gw-reserve");

        Assert.True(await RefusedAsync(IPAddress.Loopback, rig.Broker.Port));

        // The client sees the refusal before the broker has logged it.
        await WaitUntilAsync(() => rig.Log.Entries.Any(e => e.Event.Id == 2201));
        Assert.Contains(rig.Log.Entries, e => e.Event.Id == 2201 && e.Message.Contains("FileHandleReserve", StringComparison.Ordinal));
        using var client = new MQTTnet.MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(rig.ClientOptions(gateway)));
    }

    private static long SoftFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<TcpClient> OpenFromAsync(IPAddress local, int port)
    {
        var tcp = new TcpClient(new IPEndPoint(local, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return tcp;
    }

    /// <summary>True when the broker closes a new connection at once (a reset may already fail the connect).</summary>
    private static async Task<bool> RefusedAsync(IPAddress local, int port)
    {
        TcpClient tcp;
        try
        {
            tcp = await OpenFromAsync(local, port);
        }
        catch (SocketException)
        {
            return true;
        }

        using (tcp)
        {
            return await ClosedByPeerAsync(tcp);
        }
    }

    /// <summary>True when the broker closes the connection (read returns 0 or resets) within the time.</summary>
    private static async Task<bool> ClosedByPeerAsync(TcpClient tcp, TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            return await tcp.GetStream().ReadAsync(new byte[1], cts.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}

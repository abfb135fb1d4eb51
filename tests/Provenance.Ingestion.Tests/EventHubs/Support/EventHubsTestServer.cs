using System.Collections.Concurrent;
using System.Security.Cryptography;
using Amqp;
using Amqp.Listener;
using Amqp.Types;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>
/// A loopback AMQP 1.0 server (AMQPNetLite) that speaks the part of Azure Event Hubs that the Azure.Messaging.EventHubs
/// client uses to read an IoT Hub's built-in endpoint — no Event Hubs emulator runs here. It checks what the service
/// checks: TLS (amqps) with a certificate from a test CA, SASL <c>MSSBCBS</c>, CBS <c>put-token</c> on <c>$cbs</c> with
/// a shared access signature verified against the policy key, the <c>$management</c> READ of the hub (partition ids) and
/// of a partition (its sequence numbers), each with its token, and receive links on
/// <c>/{hub}/ConsumerGroups/{group}/Partitions/{id}</c> only with a token put for them, starting where the link's
/// filter says. Events carry the annotations IoT Hub adds (sequence number, offset, enqueued time,
/// <c>iothub-connection-device-id</c>). Every link's filter is recorded, so tests see where a reader resumed.
/// </summary>
public sealed partial class EventHubsTestServer : IDisposable
{
    public const string KeyName = "service";
    public const string Namespace = "ih-test.servicebus.windows.net";

    private readonly ContainerHost _host;
    private readonly TestCertificateAuthority _ca = new();
    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public EventHubsTestServer(string hubName = "plant-hub", int partitionCount = 2, string? key = null)
    {
        HubName = hubName;
        Key = key ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Sas = new ServiceSas(KeyName, Key);
        for (var i = 0; i < partitionCount; i++)
        {
            _partitions[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new Partition();
        }

        Port = FreePort.Next();
        _host = new ContainerHost(new Address($"amqps://127.0.0.1:{Port}"));
        var listener = _host.Listeners[0];
        listener.SSL.Certificate = _ca.IssueServerCertificate();
        listener.SASL.EnableMechanism(new Symbol("MSSBCBS"), new CbsSaslProfile());
        _host.RegisterRequestProcessor("$cbs", new CbsProcessor(this));
        _host.RegisterRequestProcessor("$management", new ManagementProcessor(this));
        _host.RegisterLinkProcessor(new ReceiveLinkProcessor(this));
        _host.Open();
    }

    public string HubName { get; }

    public string Key { get; }

    public int Port { get; }

    /// <summary>The consumer groups that exist on the hub.</summary>
    public ISet<string> ConsumerGroups { get; } = new HashSet<string>(StringComparer.Ordinal) { "$Default", "provenance" };

    /// <summary>PEM of the CA that issued the server's certificate (what a client must trust).</summary>
    public string CaPem => _ca.CaPem;

    public string ConnectionString(string? key = null) =>
        $"Endpoint=sb://{Namespace}/;SharedAccessKeyName={KeyName};SharedAccessKey={key ?? Key};EntityPath={HubName}";

    public string EndpointAddress => $"amqps://127.0.0.1:{Port}";

    /// <summary>Filters of every receive link attached, in order, with the partition.</summary>
    public ConcurrentQueue<(string Partition, LinkFilter Filter)> Links { get; } = new();

    /// <summary>CBS and management requests refused, with the reason (what the real service would answer 401 to).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    internal ServiceSas Sas { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public IReadOnlyCollection<string> PartitionIds => [.. _partitions.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Appends an event to a partition, as IoT Hub does when a device sends; returns its sequence number.</summary>
    public long Send(string partition, HubEvent hubEvent) => _partitions[partition].Append(hubEvent);

    /// <summary>The highest sequence number of a partition sent to a client so far (-1: none).</summary>
    public long HighestDelivered(string partition) => _partitions[partition].HighestDelivered;

    /// <summary>Events appended to a partition so far.</summary>
    public long Count(string partition) => _partitions[partition].Count;

    /// <summary>Waits until a receive link has been attached <paramref name="count"/> times.</summary>
    public Task WaitForLinksAsync(int count, TimeSpan timeout) => Signal.WaitUntilAsync(() => Links.Count >= count, timeout, _linkAttached);

    public void Dispose()
    {
        _stopping.Cancel();
        _host.Close();
        _ca.Dispose();
        _stopping.Dispose();
    }

    internal Partition? FindPartition(string id) => _partitions.GetValueOrDefault(id);

    internal void OnLinkAttached(string partition, LinkFilter filter)
    {
        Links.Enqueue((partition, filter));
        _linkAttached.Pulse();
    }

    private readonly Signal _linkAttached = new();
}

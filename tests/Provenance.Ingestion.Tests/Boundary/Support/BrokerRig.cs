using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Origin;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Ingestion.Broker;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>
/// The real ingestion boundary in-process: SQLite in a temp directory, the registry with a site, gateways and issued
/// tags, the ingestion pipeline and the embedded MQTTnet broker on a free loopback port. Gateways publish with a
/// real MQTT client. Dispose stops everything and removes the directory.
/// </summary>
public sealed class BrokerRig : IAsyncDisposable
{
    public const string SiteId = "plant-1";
    public const string Gtin = "09506000134352";
    public const string Domain = "id.example.com";

    private readonly string _directory = Directory.CreateTempSubdirectory("prov-broker-").FullName;
    private readonly Dictionary<string, (ECDsa Key, string Secret)> _gateways = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _serial;

    private BrokerRig(EmbeddedBrokerOptions? broker, IngestionOptions? ingestion, DeadLetterQuota? quota)
    {
        Database = TestStorage.Open(_directory);
        Registry = new RegistryStore(Database);
        Tags = new TagStore(Database);
        Quota = quota ?? new DeadLetterQuota();
        Writer = new IngestionWriter(Database, Quota);
        Codes = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = CodeKeyRing.NewKey() }, 1));
        Options = ingestion ?? new IngestionOptions();
        BrokerOptions = broker ?? new EmbeddedBrokerOptions { Port = 0, ConnectTimeout = TimeSpan.FromSeconds(2) };
        Registry.AddSite(new Site(SiteId, "Plant One", new GeoPoint(27.8611, 106.3720), 500, null));
        Registry.AddProduct(new Product(Gtin, "Test Baijiu", "Provenance Distillery"));
        Processor = new GatewayMessageProcessor(Registry, Tags, Codes, new AttestationPolicy(), Options, Writer);
        Pipeline = new IngestionPipeline(Processor, Writer, new IngestionMetrics(), Options, Log.For<IngestionPipeline>());
        DeviceKeys = new DeviceKeyStore(Database, ServerSecret.FromBytes(RandomNumberGenerator.GetBytes(32)));
        Twins = new DeviceTwinStore(Database);
        DeviceCertificates = new DeviceCertificateStore(Database);
        Broker = new EmbeddedBroker(BrokerOptions, Registry, Pipeline, Writer, Log.For<EmbeddedBroker>(), DeviceKeys, Twins, DeviceCertificates);
    }

    public ErrorLog Log { get; } = new();

    public ProvenanceDatabase Database { get; }

    public RegistryStore Registry { get; }

    public TagStore Tags { get; }

    public IngestionWriter Writer { get; }

    public DeadLetterQuota Quota { get; }

    public CodeAuthenticator Codes { get; }

    public IngestionOptions Options { get; }

    public EmbeddedBrokerOptions BrokerOptions { get; }

    public GatewayMessageProcessor Processor { get; }

    public IngestionPipeline Pipeline { get; }

    public EmbeddedBroker Broker { get; }

    /// <summary>Gateways' IoT Hub device keys (encrypted under a server secret made for this rig).</summary>
    public DeviceKeyStore DeviceKeys { get; }

    /// <summary>Gateways' device twins.</summary>
    public DeviceTwinStore Twins { get; }

    /// <summary>Gateways registered for IoT Hub's X.509 login.</summary>
    public DeviceCertificateStore DeviceCertificates { get; }

    public DeadLetterStore DeadLetters => new(Database, Quota);

    public SealStore Seals => new(Database);

    public static async Task<BrokerRig> StartAsync(EmbeddedBrokerOptions? broker = null, IngestionOptions? ingestion = null, DeadLetterQuota? quota = null)
    {
        var rig = new BrokerRig(broker, ingestion, quota);
        await rig.Pipeline.StartAsync(rig._stopping.Token);
        await rig.Broker.StartAsync(rig._stopping.Token);
        return rig;
    }

    /// <summary>Registers a gateway at the site and returns its id; its key and secret stay in the rig.</summary>
    public string AddGateway(string id)
    {
        var key = GatewayKeys.Create();
        var secret = Registry.AddGateway(id, SiteId, GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
        _gateways[id] = (key, secret);
        return id;
    }

    public ECDsa Key(string gatewayId) => _gateways[gatewayId].Key;

    public string Secret(string gatewayId) => _gateways[gatewayId].Secret;

    /// <summary>Issues <paramref name="count"/> fresh tags and returns their signed Digital Link URIs.</summary>
    public IReadOnlyList<string> Issue(int count)
    {
        var serials = Enumerable.Range(0, count).Select(_ => $"S{Interlocked.Increment(ref _serial):D8}").ToList();
        var batch = Tags.CreateBatch(Gtin, "L1", count);
        Assert.True(Tags.AddTags(batch, Gtin, "L1", serials));
        return [.. serials.Select(s => Codes.Sign(DigitalLink.ForTag(Domain, Core.Codes.Gtin.Parse(Gtin), s, "L1")))];
    }

    /// <summary>A correctly signed authentic-tag seal message of a gateway, fresh event ids.</summary>
    public (string Topic, byte[] Payload, IReadOnlyList<SealEvent> Events) GoodSeal(string gatewayId, int count = 1) =>
        SealOf(gatewayId, [.. Issue(count).Select(url => Event(url))]);

    public (string Topic, byte[] Payload, IReadOnlyList<SealEvent> Events) SealOf(string gatewayId, IReadOnlyList<SealEvent> events, DateTimeOffset? sentAt = null)
    {
        var message = new SealMessage { SiteId = SiteId, GatewayId = gatewayId, SentAt = sentAt ?? DateTimeOffset.UtcNow, Events = events };
        return (SealTopic(gatewayId), Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(message, Key(gatewayId))), events);
    }

    public static SealEvent Event(string tag, DateTimeOffset? sealedAt = null, string? eventId = null) => new()
    {
        EventId = eventId ?? Guid.CreateVersion7().ToString(),
        Tag = tag,
        Line = "line-1",
        SealedAt = sealedAt ?? DateTimeOffset.UtcNow,
        SealType = "capsule",
        Sequence = 1,
    };

    /// <summary>Signs any payload bytes as the gateway (the JWS is valid; the payload may be anything).</summary>
    public byte[] Signed(string gatewayId, string json) => Encoding.ASCII.GetBytes(CompactJws.Sign(Encoding.UTF8.GetBytes(json), gatewayId, Key(gatewayId)));

    public static string SealTopic(string gatewayId) => new GatewayTopic(SiteId, gatewayId, GatewayMessageKind.Seal).ToString();

    public MqttClientOptions ClientOptions(string gatewayId, string? secret = null, string? clientId = null) => new MqttClientOptionsBuilder()
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(clientId ?? gatewayId)
        .WithCredentials(gatewayId, secret ?? Secret(gatewayId))
        .WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Broker.Port))
        .WithTimeout(TimeSpan.FromSeconds(30))
        .Build();

    public async Task<IMqttClient> ConnectAsync(string gatewayId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(ClientOptions(gatewayId));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    public static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Publishes a good seal, checks it was acknowledged and stored, and returns its event ids.</summary>
    public async Task<IReadOnlyList<string>> SealAndConfirmAsync(IMqttClient client, string gatewayId, int count = 1)
    {
        var (topic, payload, events) = GoodSeal(gatewayId, count);
        var result = await PublishAsync(client, topic, payload);
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var ids = events.Select(e => e.EventId).ToList();
        Assert.All(ids, id => Assert.True(Seals.ContainsEvent(id), $"acknowledged event {id} is not stored"));
        return ids;
    }

    /// <summary>As <see cref="SealAndConfirmAsync"/>, on the IoT Hub events topic of a device.</summary>
    public async Task SealAndConfirmOnIotHubAsync(IMqttClient client, string deviceId)
    {
        var (_, payload, events) = GoodSeal(deviceId);
        var result = await PublishAsync(client, $"devices/{deviceId}/messages/events/kind=seal", payload);
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.True(Seals.ContainsEvent(events[0].EventId), $"acknowledged event {events[0].EventId} is not stored");
    }

    public long DeadLetterCount(string reason) => DeadLetters.CountByReason().GetValueOrDefault(reason);

    /// <summary>Fails on any error logged so far that is not expected.</summary>
    public void AssertNoUnexpectedErrors(params int[] expectedEventIds)
    {
        var unexpected = Log.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && !expectedEventIds.Contains(e.Event.Id)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Select(e => $"{e.Event.Id}: {e.Message}")));
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await _stopping.CancelAsync();
        await Pipeline.StopAsync(CancellationToken.None);
        Pipeline.Dispose();
        foreach (var (key, _) in _gateways.Values)
        {
            key.Dispose();
        }

        _stopping.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

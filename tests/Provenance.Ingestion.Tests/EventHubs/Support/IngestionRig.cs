using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Provenance.Core.Codes;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Origin;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Ingestion.EventHubs;
using Provenance.Storage;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>
/// The ingestion side in process, on a real SQLite database in a temp directory: a site, registered gateways with
/// their P-256 keys, issued tags, and the real pipeline (verification, attestation, group commit, dead letters).
/// Sources are started against it with <see cref="StartSourceAsync"/>.
/// </summary>
public sealed class IngestionRig : IAsyncDisposable
{
    public const string SiteId = "plant-1";
    public const string Gtin = "09506000134352";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("prov-eventhubs-");
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private readonly Signal _committed = new();
    private readonly IngestionMetrics _metrics = new();
    private readonly LoggerFactory _loggers;
    private readonly CodeAuthenticator _codes = new(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = CodeKeyRing.NewKey() }, 1));
    private int _nextSerial;

    public IngestionRig(params string[] gateways)
    {
        _loggers = new LoggerFactory([Logs]);
        Database = TestStorage.Open(_directory.FullName);
        Registry = new RegistryStore(Database);
        Registry.AddSite(new Site(SiteId, "Plant One", new GeoPoint(27.8611, 106.3720), 500, null));
        Registry.AddProduct(new Product(Gtin, "Feitian 53% 500 ml", "Test Distillery"));
        foreach (var id in gateways)
        {
            var key = GatewayKeys.Create();
            _keys[id] = key;
            Registry.AddGateway(id, SiteId, GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
        }

        var writer = new IngestionWriter(Database);
        var processor = new GatewayMessageProcessor(Registry, new TagStore(Database), _codes, new AttestationPolicy(), new IngestionOptions(), writer);
        Pipeline = new IngestionPipeline(processor, writer, _metrics, new IngestionOptions(), _loggers.CreateLogger<IngestionPipeline>());
        Pipeline.Committed += _ => _committed.Pulse();
        Pipeline.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public ProvenanceDatabase Database { get; }

    public RegistryStore Registry { get; }

    public IngestionPipeline Pipeline { get; }

    public CollectingLoggerProvider Logs { get; } = new();

    public string CaFile => Path.Combine(_directory.FullName, "eventhubs-ca.pem");

    public long Seals => new SealStore(Database).Count();

    public IReadOnlyDictionary<string, long> DeadLetters => new DeadLetterStore(Database).CountByReason();

    public long Duplicates => _metrics.DuplicatesTotal;

    /// <summary>Starts an Event Hubs source on <paramref name="server"/> (trusting its CA); dispose it to stop.</summary>
    public async Task<RunningSource> StartSourceAsync(EventHubsTestServer server, string? key = null, string consumerGroup = "provenance")
    {
        await File.WriteAllTextAsync(CaFile, server.CaPem);
        var options = new EventHubsSourceOptions
        {
            ConnectionString = server.ConnectionString(key),
            ConsumerGroup = consumerGroup,
            CustomEndpointAddress = server.EndpointAddress,
            TrustedCaPath = CaFile,
            MaxWait = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
        };
        var source = new EventHubsSource(options, Pipeline, Registry, new SourceCheckpointStore(Database), TimeProvider.System, _loggers.CreateLogger<EventHubsSource>());
        await source.StartAsync(CancellationToken.None);
        return new RunningSource(source);
    }

    /// <summary>Issues <paramref name="count"/> tags and returns their Digital Link URIs with code MACs (what a line gateway reads).</summary>
    public IReadOnlyList<string> IssueTags(int count)
    {
        var tags = new TagStore(Database);
        var batch = tags.CreateBatch(Gtin, "L1", count);
        var serials = Enumerable.Range(0, count).Select(_ => $"EH{Interlocked.Increment(ref _nextSerial):D8}").ToList();
        tags.AddTags(batch, Gtin, "L1", serials);
        return [.. serials.Select(s => _codes.Sign(DigitalLink.ForTag("id.example.com", Core.Codes.Gtin.Parse(Gtin), s, "L1")))];
    }

    /// <summary>A seal message signed by <paramref name="signer"/> whose payload names <paramref name="named"/> (the signer by default).</summary>
    public byte[] SealMessage(string signer, IReadOnlyList<string> tags, string? named = null)
    {
        var at = DateTimeOffset.UtcNow;
        var events = tags.Select((tag, i) => new SealEvent { EventId = EventId(signer, tag), Tag = tag, Line = "line-1", SealedAt = at, SealType = "capsule", Sequence = i }).ToList();
        var message = new SealMessage { SiteId = SiteId, GatewayId = named ?? signer, SentAt = at, Events = events };
        return Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(message, _keys[signer]));
    }

    /// <summary>A gnss message carrying <paramref name="nmea"/>, signed by <paramref name="signer"/>.</summary>
    public byte[] GnssMessage(string signer, string nmea) =>
        Encoding.ASCII.GetBytes(GatewayMessageCodec.SignGnss(new GnssMessage { SiteId = SiteId, GatewayId = signer, SentAt = DateTimeOffset.UtcNow, Nmea = nmea }, _keys[signer]));

    /// <summary>A status message, signed by <paramref name="signer"/>.</summary>
    public byte[] StatusMessage(string signer, string state) =>
        Encoding.ASCII.GetBytes(GatewayMessageCodec.SignStatus(new StatusMessage { SiteId = SiteId, GatewayId = signer, State = state, At = DateTimeOffset.UtcNow }, _keys[signer]));

    /// <summary>The state a gateway last reported, as stored with it.</summary>
    public string? GatewayStatus(string gatewayId)
    {
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_status FROM gateways WHERE id = @id";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = gatewayId;
        command.Parameters.Add(id);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The event id a gateway gives the seal of <paramref name="tag"/>: its id and the tag's serial.</summary>
    public static string EventId(string gateway, string tag) => $"{gateway}-{tag.Split('?')[0].Split('/')[^1]}";

    public static HubEvent FromDevice(string? deviceId, string? kind, byte[] body) =>
        new(deviceId, kind is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["kind"] = kind }, body);

    /// <summary>Waits until <paramref name="condition"/> holds after some commit.</summary>
    public async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        try
        {
            await Signal.WaitUntilAsync(condition, timeout, _committed);
        }
        catch (TimeoutException e)
        {
            var letters = string.Join("; ", new DeadLetterStore(Database).List().Take(5).Select(l => $"{l.ReasonCode}: {l.Reason}"));
            var logs = string.Join("\n", Logs.Entries.Where(l => l.Level >= LogLevel.Warning).Take(10).Select(l => $"[{l.Id.Id}] {l.Message}"));
            throw new TimeoutException($"{e.Message}; {Seals} seal(s), dead letters: {letters}\nwarnings:\n{logs}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.StopAsync(CancellationToken.None);
        Pipeline.Dispose();
        _metrics.Dispose();
        _loggers.Dispose();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}

/// <summary>A started source; disposing stops it as the host would.</summary>
public sealed class RunningSource(EventHubsSource source) : IAsyncDisposable
{
    public EventHubsSource Source => source;

    public async ValueTask DisposeAsync()
    {
        await source.StopAsync(CancellationToken.None);
        source.Dispose();
    }
}

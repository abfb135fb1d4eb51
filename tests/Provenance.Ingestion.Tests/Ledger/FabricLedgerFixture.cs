using System.Security.Cryptography;
using System.Text;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Fabric;
using Provenance.Fabric.Tests.Support;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Tests.Ledger;

/// <summary>
/// A real SQLite database in a temp directory with a site and two gateways (real P-256 keys), seals ingested from
/// gateway-signed messages, and the fake Fabric peer running the provenance chaincode's semantics. The Fabric client
/// does not retry on its own (MaxAttempts 1), so every injected failure reaches the engine.
/// </summary>
internal sealed class FabricLedgerFixture : IAsyncDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = [];
    private readonly TimeSpan _clientCommitStatusTimeout;
    private GrpcChannel _channel;

    private FabricLedgerFixture(string directory, FakeGatewayPeer peer, TestCredentials credentials, TimeSpan clientCommitStatusTimeout)
    {
        _clientCommitStatusTimeout = clientCommitStatusTimeout;
        Directory = directory;
        Database = TestStorage.Open(directory);
        Registry = new RegistryStore(Database);
        Journal = new JournalStore(Database);
        State = new FabricLedgerState(Database);
        Peer = peer;
        Credentials = credentials;
        Registry.AddSite(new Site("s1", "Plant", new GeoPoint(30, 120), 500, null));
        foreach (var gatewayId in new[] { "g1", "g2" })
        {
            AddGateway(gatewayId);
        }

        (_channel, Contract) = Connect();
    }

    public string Directory { get; }

    public ProvenanceDatabase Database { get; }

    public RegistryStore Registry { get; }

    public JournalStore Journal { get; }

    public FabricLedgerState State { get; }

    public FakeGatewayPeer Peer { get; }

    public TestCredentials Credentials { get; }

    public Contract Contract { get; private set; }

    /// <summary>RecordSeals proposals the peer endorsed.</summary>
    public int RecordSealsEndorsed => Peer.Endorsements.Count(p => p.Function == "RecordSeals");

    /// <param name="clientCommitStatusTimeout">The Fabric client's own deadline on one commit-status call (1 s unless given):
    /// every round of the engine's commit wait must stay under it.</param>
    public static async Task<FabricLedgerFixture> StartAsync(TimeSpan? clientCommitStatusTimeout = null)
    {
        var peer = await FakeGatewayPeer.StartAsync();
        peer.Chaincode = FakeProvenanceChaincode.Simulate;
        var credentials = TestCredentials.Create("ProducerMSP", "Admin@producer.example.com");
        peer.Trust(credentials);
        return new FabricLedgerFixture(
            System.IO.Directory.CreateTempSubdirectory("prov-fabric-").FullName, peer, credentials, clientCommitStatusTimeout ?? TimeSpan.FromSeconds(1));
    }

    public FabricLedgerEngine NewEngine(
        int maxRecordsPerTransaction = 200, int maxInFlight = 1, bool admin = true, TimeSpan? resubmitAfter = null, TimeSpan? commitStatusTimeout = null)
    {
        var options = new FabricLedgerOptions
        {
            MaxRecordsPerTransaction = maxRecordsPerTransaction, MaxTransactionsInFlight = maxInFlight, MaxBatchAge = TimeSpan.Zero,
            MspId = "ProducerMSP", Channel = FakeGatewayPeer.ChannelName,
        };
        if (resubmitAfter is { } after)
        {
            options.ResubmitAfter = after;
        }

        if (commitStatusTimeout is { } timeout)
        {
            options.CommitStatusTimeout = timeout;
        }

        var registrar = new FabricGatewayRegistrar(Contract, admin ? Contract : null, State, Registry, options, NullLogger<FabricGatewayRegistrar>.Instance);
        return new FabricLedgerEngine(Contract, State, registrar, options, NullLogger<FabricLedgerEngine>.Instance);
    }

    /// <summary>A new channel and gateway, as after a process restart.</summary>
    public void Reconnect()
    {
        _channel.Dispose();
        (_channel, Contract) = Connect();
    }

    /// <summary>Replaces a gateway's key in our registry (as a key rotation does) and returns nothing; new seals use the new key.</summary>
    public void RotateKey(string gatewayId)
    {
        _keys[gatewayId].Dispose();
        var key = GatewayKeys.Create();
        _keys[gatewayId] = key;
        using var c = Database.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE gateways SET public_key_pem = @p, key_fingerprint = @f WHERE id = @id";
        foreach (var (name, value) in new[] { ("@p", GatewayKeys.ExportPublicKeyPem(key)), ("@f", GatewayKeys.Fingerprint(key)), ("@id", gatewayId) })
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }
        cmd.ExecuteNonQuery();
    }

    /// <summary>Registers gateways on the chain directly (as an earlier run would have), so injected faults hit seal transactions.</summary>
    public async Task RegisterOnChainAsync(params string[] gatewayIds)
    {
        foreach (var gatewayId in gatewayIds)
        {
            await Contract.SubmitAsync("RegisterGateway", [gatewayId, "s1", Registry.FindGateway(gatewayId)!.PublicKeyPem]);
        }
    }

    public string Fingerprint(string gatewayId) => GatewayKeys.Fingerprint(_keys[gatewayId]);

    /// <summary>Ingests seals ev-{i} of tags SER{i} signed by the gateway, one message each, through the real writer.</summary>
    public void Seal(string gatewayId, int from, int count)
    {
        var units = Enumerable.Range(from, count).Select(i => SealUnit(gatewayId, $"ev-{i:D5}", $"SER{i:D5}", i)).ToList();
        var outcome = new IngestionWriter(Database).Commit(units);
        Assert.Equal(count, outcome.SealsStored);
    }

    /// <summary>A signed message carrying one seal, as the gateway sends it.</summary>
    public string SignedSeal(string gatewayId, string eventId, string serial, int sequence) =>
        GatewayMessageCodec.SignSeal(new SealMessage { SiteId = "s1", GatewayId = gatewayId, SentAt = SealedAt(sequence), Events = [SealEvent(eventId, serial, sequence)] }, _keys[gatewayId]);

    /// <summary>Runs the engine over the journal as the ledger sink does, retrying after failures; returns the failures.</summary>
    public async Task<List<Exception>> DriveAsync(ILedgerEngine engine, int maxFailures = 10)
    {
        var failures = new List<Exception>();
        while (true)
        {
            var batch = Journal.ReadAfter(Math.Max(Journal.Cursor(engine.CursorName), engine.TakenThrough ?? 0), engine.PreferredBatchSize);
            if (batch.Count == 0)
            {
                // Everything is taken: wait for what is in flight, so that a failure there is seen by the next call.
                if (engine is FabricLedgerEngine fabric)
                {
                    await fabric.DrainAsync();
                }

                if (Journal.Cursor(engine.CursorName) < Journal.Head())
                {
                    // A transaction failed in flight: the engine re-reads from its cursor on the next call.
                    batch = Journal.ReadAfter(Journal.Cursor(engine.CursorName), engine.PreferredBatchSize);
                }
                else
                {
                    return failures;
                }
            }

            try
            {
                await engine.AppendAsync(batch, batch[^1].Position);
            }
            catch (Exception e) when (e is GatewayException or LedgerUnavailableException)
            {
                failures.Add(e);
                Assert.True(failures.Count <= maxFailures, "the engine kept failing:\n" + string.Join("\n", failures.Select(f => f.Message)));
            }
        }
    }

    public string? OnChain(string key) => Peer.Ledger.Read(key).Value is { } value ? Encoding.UTF8.GetString(value) : null;

    public IReadOnlyList<StoredDeadLetter> DeadLetters() => new DeadLetterStore(Database).List();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Credentials.Dispose();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        await Peer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static DateTimeOffset SealedAt(int i) => new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero).AddSeconds(i);

    private static SealEvent SealEvent(string eventId, string serial, int i) => new()
    {
        EventId = eventId, Tag = $"010950600013435221{serial}", Line = "l1", SealedAt = SealedAt(i), SealType = "capsule", Sequence = i,
    };

    private IngestionUnit SealUnit(string gatewayId, string eventId, string serial, int i)
    {
        var jws = SignedSeal(gatewayId, eventId, serial, i);
        var unit = new IngestionUnit { Topic = $"prov/v1/s1/{gatewayId}/seal", GatewayId = gatewayId, Jws = jws };
        unit.Seals.Add(new SealToStore(
            eventId, "09506000134352", serial, gatewayId, "s1", "l1", SealedAt(i), "capsule", null, i, true, """{"insideGeofence":true,"distanceMeters":12.5}""",
            SHA256.HashData(Encoding.UTF8.GetBytes(jws + eventId)), $$"""{"eventId":"{{eventId}}","gtin":"09506000134352","serial":"{{serial}}"}"""));
        return unit;
    }

    private void AddGateway(string gatewayId)
    {
        var key = GatewayKeys.Create();
        _keys[gatewayId] = key;
        Registry.AddGateway(gatewayId, "s1", GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
    }

    private (GrpcChannel Channel, Contract Contract) Connect()
    {
        var channel = Peer.CreateChannel();
        var options = new GatewayOptions
        {
            EvaluateTimeout = TimeSpan.FromSeconds(10),
            EndorseTimeout = TimeSpan.FromSeconds(10),
            SubmitTimeout = TimeSpan.FromSeconds(10),
            CommitStatusTimeout = _clientCommitStatusTimeout,
            MaxAttempts = 1,
        };
        var gateway = new Gateway(channel, Credentials.Identity, Credentials.Signer, options);
        return (channel, gateway.GetNetwork(FakeGatewayPeer.ChannelName).GetContract("provenance"));
    }
}

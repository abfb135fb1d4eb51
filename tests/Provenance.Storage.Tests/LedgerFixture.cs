using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Origin;
using Provenance.Core.Records;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>
/// A database in a temp directory with a registered gateway, committed seals (each with its signed gateway message and
/// a full provenance record) and the ledger appended in blocks of <c>blockSize</c> entries.
/// </summary>
internal sealed class LedgerFixture : IDisposable
{
    public LedgerFixture(int seals, int blockSize = 5)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("prov-ledger-").FullName;
        Database = TestStorage.Open(Directory);
        NodeKey = Provenance.Storage.Ledger.NodeKey.LoadOrCreate(Directory);
        GatewayKey = GatewayKeys.Create();
        var registry = new RegistryStore(Database);
        registry.AddSite(new Site("s1", "Site", new GeoPoint(30, 120), 500, null));
        registry.AddGateway("g1", "s1", GatewayKeys.ExportPublicKeyPem(GatewayKey), GatewayKeys.Fingerprint(GatewayKey));
        Ledger = new EmbeddedLedger(Database, NodeKey);
        new IngestionWriter(Database).Commit(Enumerable.Range(0, seals).Select(i => SealUnit(i)).ToList());
        AppendJournal(blockSize);
    }

    public string Directory { get; }

    public ProvenanceDatabase Database { get; }

    public ECDsa NodeKey { get; }

    public ECDsa GatewayKey { get; }

    public EmbeddedLedger Ledger { get; }

    /// <summary>Appends what the journal holds beyond the ledger cursor, <paramref name="blockSize"/> entries per block.</summary>
    public void AppendJournal(int blockSize = 500)
    {
        var journal = new JournalStore(Database);
        var entries = journal.ReadAfter(journal.Cursor(EmbeddedLedger.SinkName), 10_000);
        foreach (var chunk in entries.Chunk(blockSize))
        {
            Ledger.Append(chunk, chunk[^1].Position);
        }
    }

    /// <summary>One seal in its own signed message; <paramref name="recordLine"/> lets the record differ from what the gateway signed.</summary>
    public IngestionUnit SealUnit(int i, string? eventId = null, string? serial = null, string? recordLine = null, string? signedNfcUid = null)
    {
        serial ??= $"SER{i:D5}";
        var seal = new SealEvent
        {
            EventId = eventId ?? $"ev-{i:D5}",
            Tag = $"0109506000134352{"21"}{serial}",
            Line = "l1",
            SealedAt = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(i),
            SealType = "capsule",
            Sequence = i,
        };
        return Unit(seal, seal with { NfcUid = signedNfcUid }, serial, recordLine);
    }

    /// <summary>A unit whose ledger record is built from <paramref name="recorded"/> while the gateway signed <paramref name="signed"/>.</summary>
    public IngestionUnit Unit(SealEvent recorded, SealEvent signed, string serial, string? recordLine = null)
    {
        var jws = GatewayMessageCodec.SignSeal(new SealMessage { SiteId = "s1", GatewayId = "g1", SentAt = signed.SealedAt, Events = [signed] }, GatewayKey);
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1", SourceGatewayId = "g1", Jws = jws, RawMessage = Encoding.ASCII.GetBytes(jws) };
        var contentHash = SHA256.HashData(Encoding.UTF8.GetBytes($"{recorded.EventId}|{serial}"));
        var attestation = new OriginAttestation { Attested = true, Failures = [] };
        var record = new ProvenanceRecord
        {
            EventId = recorded.EventId,
            Gtin = "09506000134352",
            Serial = serial,
            GatewayId = "g1",
            GatewayKeyFingerprint = GatewayKeys.Fingerprint(GatewayKey),
            SiteId = "s1",
            Line = recordLine ?? recorded.Line,
            SealedAt = recorded.SealedAt,
            SealType = recorded.SealType,
            NfcUid = recorded.NfcUid,
            Sequence = recorded.Sequence,
            Attestation = attestation,
        };
        unit.Seals.Add(new SealToStore(recorded.EventId, "09506000134352", serial, "g1", "s1", recorded.Line, recorded.SealedAt, recorded.SealType, recorded.NfcUid, recorded.Sequence, true,
            JsonSerializer.Serialize(attestation, RecordJsonContext.Default.OriginAttestation), contentHash, JsonSerializer.Serialize(record, RecordJsonContext.Default.ProvenanceRecord)));
        return unit;
    }

    /// <summary>A copy of the database file to tamper with.</summary>
    public ProvenanceDatabase Copy()
    {
        var copyDir = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "copy-" + Guid.NewGuid().ToString("N"))).FullName;
        if (TestStorage.IsPostgres)
        {
            Database.ClosePooledConnections();
            TestStorage.CopyPostgres(Directory, copyDir);
            return TestStorage.Open(copyDir);
        }

        using (var c = Database.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"VACUUM INTO '{Path.Combine(copyDir, ProvenanceDatabase.FileName)}'";
            cmd.ExecuteNonQuery();
        }

        return ProvenanceDatabase.Open(copyDir);
    }

    /// <summary>Runs tampering SQL on a database file with foreign keys off (as an attacker editing the file would); asserts it changed rows.</summary>
    public static void Tamper(ProvenanceDatabase db, string sql, params (string Name, object Value)[] parameters)
    {
        using var c = db.Provider == StorageProvider.Postgres ? db.Connect() : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db.Path};Foreign Keys=False;Pooling=False");
        if (c.State != System.Data.ConnectionState.Open)
        {
            c.Open();
        }

        using var cmd = c.CreateCommand();
        if (db.Provider == StorageProvider.Postgres)
        {
            // Foreign keys off for this session (the test cluster's user is its superuser), as on the SQLite file.
            sql = "SET session_replication_role = replica; " + System.Text.RegularExpressions.Regex.Replace(sql, @"\$(?=[a-z])", "@");
        }

        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = db.Provider == StorageProvider.Postgres ? name.Replace('$', '@') : name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }

        Assert.True(cmd.ExecuteNonQuery() > 0, $"tampering changed nothing: {sql}");
    }

    public static T Scalar<T>(ProvenanceDatabase db, string sql)
    {
        using var c = db.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (T)cmd.ExecuteScalar()!;
    }

    public void Dispose()
    {
        NodeKey.Dispose();
        GatewayKey.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

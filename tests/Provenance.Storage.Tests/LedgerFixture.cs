using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Gateways;
using Provenance.Core.Geo;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>A database in a temp directory with a registered gateway, some committed seals and the ledger appended.</summary>
internal sealed class LedgerFixture : IDisposable
{
    public LedgerFixture(int seals)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("prov-ledger-").FullName;
        Database = ProvenanceDatabase.Open(Directory);
        NodeKey = Provenance.Storage.Ledger.NodeKey.LoadOrCreate(Directory);
        GatewayKey = GatewayKeys.Create();
        var registry = new RegistryStore(Database);
        registry.AddSite(new Site("s1", "Site", new GeoPoint(30, 120), 500, null));
        registry.AddGateway("g1", "s1", GatewayKeys.ExportPublicKeyPem(GatewayKey), GatewayKeys.Fingerprint(GatewayKey));
        var writer = new IngestionWriter(Database);
        var units = new List<IngestionUnit>();
        for (var i = 0; i < seals; i++)
        {
            units.Add(SealUnit(i));
        }

        writer.Commit(units);
        var journal = new JournalStore(Database);
        var entries = journal.ReadAfter(0, 10_000);
        Ledger = new EmbeddedLedger(Database, NodeKey);
        Ledger.Append(entries, entries[^1].Position);
    }

    public string Directory { get; }

    public ProvenanceDatabase Database { get; }

    public ECDsa NodeKey { get; }

    public ECDsa GatewayKey { get; }

    public EmbeddedLedger Ledger { get; }

    public IngestionUnit SealUnit(int i, string? eventId = null, string? serial = null)
    {
        var seal = new SealEvent
        {
            EventId = eventId ?? $"ev-{i:D5}",
            Tag = $"0109506000134352{"21"}SER{i:D5}",
            Line = "l1",
            SealedAt = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(i),
            SealType = "capsule",
            Sequence = i,
        };
        var jws = GatewayMessageCodec.SignSeal(new SealMessage { SiteId = "s1", GatewayId = "g1", SentAt = seal.SealedAt, Events = [seal] }, GatewayKey);
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1", SourceGatewayId = "g1", Jws = jws, RawMessage = Encoding.ASCII.GetBytes(jws) };
        var contentHash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seal.EventId}|{serial ?? $"SER{i:D5}"}"));
        unit.Seals.Add(new SealToStore(seal.EventId, "09506000134352", serial ?? $"SER{i:D5}", "g1", "s1", "l1", seal.SealedAt, "capsule", null, i, true, "{}", contentHash,
            $$"""{"eventId":"{{seal.EventId}}","serial":"{{serial ?? $"SER{i:D5}"}}"}"""));
        return unit;
    }

    /// <summary>A copy of the database file to tamper with.</summary>
    public ProvenanceDatabase Copy()
    {
        var copyDir = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "copy-" + Guid.NewGuid().ToString("N"))).FullName;
        using (var c = Database.Connect())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"VACUUM INTO '{Path.Combine(copyDir, ProvenanceDatabase.FileName)}'";
            cmd.ExecuteNonQuery();
        }

        return ProvenanceDatabase.Open(copyDir);
    }

    public void Dispose()
    {
        NodeKey.Dispose();
        GatewayKey.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

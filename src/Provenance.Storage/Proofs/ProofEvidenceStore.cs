using System.Data.Common;
using System.Text.Json;
using Provenance.Core.Epcis;
using Provenance.Core.Records;
using Provenance.Storage.Internal;
using Provenance.Storage.Ledger;
using Provenance.Storage.Ledger.Internal;

namespace Provenance.Storage.Proofs;

/// <summary>Gathers the stored evidence for a bottle's proof bundle. Thread-safe.</summary>
public sealed class ProofEvidenceStore(ProvenanceDatabase database)
{
    private string? _nodePublicKeyPem;

    /// <summary>
    /// The embedded ledger's node public key (SPKI PEM) as the ledger records it; null before the node has written one
    /// (or with another engine). Read once it exists: the node key does not change while the database lives.
    /// </summary>
    public string? NodePublicKeyPem()
    {
        if (_nodePublicKeyPem is null)
        {
            using var c = database.Connect();
            _nodePublicKeyPem = NodeKeyOf(c);
        }

        return _nodePublicKeyPem;
    }

    /// <summary>The evidence for a sealed bottle; null when the code was not issued or not sealed.</summary>
    public ProofEvidence? Find(string gtin, string serial)
    {
        using var c = database.Connect();
        using var seal = c.Command(
            "SELECT s.event_id, s.gateway_id, s.site_id, m.jws, s.attestation_inputs, j.body, t.lot, t.batch_id, t.status, b.created_at " +
            "FROM seals s JOIN messages m ON m.id = s.message_id JOIN tags t ON t.gtin = s.gtin AND t.serial = s.serial " +
            "JOIN batches b ON b.id = t.batch_id LEFT JOIN journal j ON j.kind = 'seal' AND j.event_id = s.event_id " +
            "WHERE s.gtin = @g AND s.serial = @s").With("@g", gtin).With("@s", serial);
        using var r = seal.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var eventId = r.GetString(0);
        var gatewayId = r.GetString(1);
        var siteId = r.GetString(2);
        var sealJws = r.GetString(3);
        var inputsJson = r.NullableString(4);
        var recordJson = r.NullableString(5);
        var tag = new IssuedTag(gtin, serial, r.NullableString(6), r.GetInt64(7), r.GetString(8), null, null);
        var issuedAt = Sql.ParseTimestamp(r.GetString(9));
        r.Close();

        var entry = FindEntry(c, eventId);
        recordJson = entry?.RecordJson ?? recordJson;
        var registry = new RegistryStore(database);
        var gateway = registry.FindGateway(gatewayId);
        var site = registry.FindSite(siteId);
        if (recordJson is null || gateway is null || site is null)
        {
            return null;
        }

        var (messages, missing) = GnssMessages(c, gatewayId, inputsJson);
        var (eventJson, prefixes) = Commissioning(c, tag.BatchId, Epc.ForBottle(gtin, serial).Uri);
        var block = entry is null ? null : BlockChain.FindBlock(c, entry.BlockHeight);
        var nodeKey = NodeKeyOf(c);
        return new ProofEvidence(tag, issuedAt, eventId, recordJson, sealJws, inputsJson, messages, missing, gateway, registry.GatewayKeyHistory(gatewayId), site, eventJson, prefixes,
            entry, block, nodeKey, ExternalProof(c, eventId));
    }

    private static string? NodeKeyOf(DbConnection c) =>
        c.Command("SELECT value FROM ledger_meta WHERE key = 'node_public_key'").ExecuteScalar() as string;

    private static LedgerEntry? FindEntry(DbConnection c, string eventId)
    {
        using var cmd = c.Command($"SELECT {BlockChain.EntryColumns} FROM ledger WHERE event_id = @e").With("@e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? BlockChain.ReadEntry(r) : null;
    }

    /// <summary>The distinct signed messages that carried the fixes the attestation used, oldest first, and how many fixes had no message.</summary>
    private static (List<string> Messages, int Missing) GnssMessages(DbConnection c, string gatewayId, string? inputsJson)
    {
        var messages = new List<string>();
        if (inputsJson is null)
        {
            return (messages, 0);
        }

        var inputs = JsonSerializer.Deserialize(inputsJson, RecordJsonContext.Default.AttestationInputs);
        var seen = new HashSet<long>();
        var missing = 0;
        using var find = c.Command("SELECT m.id, m.jws FROM journal j JOIN messages m ON m.id = j.message_id WHERE j.kind = 'fix' AND j.event_id = @e");
        foreach (var time in inputs?.FixTimes ?? [])
        {
            find.Parameters.Clear();
            using var r = find.With("@e", $"{gatewayId}/{time.UtcTicks}").ExecuteReader();
            if (!r.Read())
            {
                missing++;
            }
            else if (seen.Add(r.GetInt64(0)))
            {
                messages.Add(r.GetString(1));
            }
        }

        return (messages, missing);
    }

    /// <summary>The batch's commissioning event that names the bottle (a batch is commissioned in chunks, indexed by batch, not by EPC).</summary>
    private static (string? Json, string? Prefixes) Commissioning(DbConnection c, long batchId, string epc)
    {
        using var cmd = c.Command(
            "SELECT json, prefixes_json FROM epcis_events WHERE batch_id = @b AND biz_step LIKE '%commissioning' AND event_type = 'ObjectEvent' " +
            $"AND {(c.IsPostgres() ? "strpos(json, @epc)" : "instr(json, @epc)")} > 0 ORDER BY seq LIMIT 1").With("@b", batchId).With("@epc", $"\"{epc}\"");
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.NullableString(1)) : (null, null);
    }

    private static StoredLedgerProof? ExternalProof(DbConnection c, string eventId)
    {
        using var cmd = c.Command("SELECT engine, tx_id, block_number, committed_at, note FROM ledger_proofs WHERE event_id = @e").With("@e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new StoredLedgerProof(eventId, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), Sql.ParseTimestamp(r.GetString(3)), r.NullableString(4))
            : null;
    }
}

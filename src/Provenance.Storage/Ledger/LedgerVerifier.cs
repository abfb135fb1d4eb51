using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Provenance.Core.Signing;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// Re-checks the whole embedded ledger: index continuity, the hash chain, every entry hash, every node signature,
/// the signed head (so that removing the last entries shows), and each gateway message's own signature against the
/// registered gateway key. Works on any copy of the database file; pass the node's public key to avoid trusting the
/// key recorded in the database itself.
/// </summary>
public static class LedgerVerifier
{
    private const int MaxProblems = 50;

    public static LedgerVerification Verify(ProvenanceDatabase database, ECDsa? trustedNodeKey = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var c = database.Connect();
        var problems = new List<LedgerProblem>();
        using var nodeKey = trustedNodeKey is null ? RecordedNodeKey(c) : null;
        var key = trustedNodeKey ?? nodeKey;
        if (key is null)
        {
            var count = c.Command("SELECT COUNT(*) FROM ledger").ScalarLong();
            return count == 0
                ? new LedgerVerification(0, [], null)
                : new LedgerVerification(0, [new LedgerProblem(0, "no_node_key", "the ledger has entries but no recorded node key; pass the node's public key")], null);
        }

        if (trustedNodeKey is not null && RecordedNodeKeyPem(c) is { } recordedPem && recordedPem != trustedNodeKey.ExportSubjectPublicKeyInfoPem())
        {
            problems.Add(new LedgerProblem(0, "node_key_mismatch", "the node key recorded in the database is not the trusted node key"));
        }

        var gatewayKeys = new Dictionary<string, ECDsa[]>(StringComparer.Ordinal);
        long expected = 1, checkedCount = 0, lastIndex = 0;
        var previous = LedgerHashing.Genesis;
        (string? Jws, bool Valid, string Payload) lastMessage = (null, false, string.Empty);
        using (var cmd = c.Command("SELECT idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature, appended_at FROM ledger ORDER BY idx"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read() && problems.Count < MaxProblems)
            {
                var e = EmbeddedLedger.Read(r);
                if (e.Index != expected)
                {
                    problems.Add(new LedgerProblem(expected, "missing", $"entries {expected}..{e.Index - 1} are missing (removed); the chain continues at entry {e.Index}"));
                }

                if (!e.PreviousHash.AsSpan().SequenceEqual(previous))
                {
                    problems.Add(new LedgerProblem(e.Index, "chain_broken", $"entry {e.Index} does not link to the entry before it (an entry was removed, inserted or re-ordered)"));
                }

                var hash = LedgerHashing.EntryHash(e.Index, e.PreviousHash, e.RecordJson, e.MessageJws);
                if (!hash.AsSpan().SequenceEqual(e.EntryHash))
                {
                    problems.Add(new LedgerProblem(e.Index, "modified", $"entry {e.Index} (event {e.EventId}) does not match its hash: its record or message was modified"));
                }
                else if (!key.VerifyHash(e.EntryHash, e.Signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    problems.Add(new LedgerProblem(e.Index, "bad_signature", $"entry {e.Index} is not signed by the node key"));
                }

                CheckGatewayMessage(c, e, gatewayKeys, problems, ref lastMessage);
                previous = e.EntryHash;
                lastIndex = e.Index;
                expected = e.Index + 1;
                checkedCount++;
                if (checkedCount % 10_000 == 0)
                {
                    progress?.Report(checkedCount);
                }
            }
        }

        CheckHead(c, key, lastIndex, previous, problems);
        foreach (var k in gatewayKeys.Values.SelectMany(k => k))
        {
            k.Dispose();
        }

        return new LedgerVerification(checkedCount, problems, Fingerprint(key));
    }

    private static void CheckHead(SqliteConnection c, ECDsa key, long lastIndex, byte[] lastHash, List<LedgerProblem> problems)
    {
        var head = c.Command("SELECT value FROM ledger_meta WHERE key = 'head'").ExecuteScalar() as string;
        if (head is null)
        {
            if (lastIndex > 0)
            {
                problems.Add(new LedgerProblem(lastIndex, "no_head", "the signed head is missing"));
            }

            return;
        }

        var parts = head.Split(':');
        var headIndex = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var headHash = Convert.FromHexString(parts[1]);
        if (!key.VerifyHash(LedgerHashing.HeadDigest(headIndex, headHash), Convert.FromBase64String(parts[2]), DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            problems.Add(new LedgerProblem(headIndex, "bad_head", "the signed head's signature is invalid"));
        }
        else if (headIndex != lastIndex || !headHash.AsSpan().SequenceEqual(lastHash))
        {
            problems.Add(new LedgerProblem(lastIndex, "truncated", $"the signed head is entry {headIndex} but the ledger ends at entry {lastIndex}: entries were removed from the end or the last entry changed"));
        }
    }

    private static void CheckGatewayMessage(SqliteConnection c, LedgerEntry e, Dictionary<string, ECDsa[]> keys, List<LedgerProblem> problems, ref (string? Jws, bool Valid, string Payload) last)
    {
        // Consecutive entries usually share one gateway message (a batch of seals): verify each message once.
        if (last.Jws != e.MessageJws)
        {
            last = (e.MessageJws, VerifyMessage(c, e, keys, problems, out var payload), payload);
        }
        else if (!last.Valid)
        {
            problems.Add(new LedgerProblem(e.Index, "bad_gateway_signature", $"entry {e.Index}: the gateway message's signature does not verify"));
        }

        if (!last.Payload.Contains(JsonSerializer.Serialize(e.EventId), StringComparison.Ordinal))
        {
            problems.Add(new LedgerProblem(e.Index, "event_not_in_message", $"entry {e.Index}: event {e.EventId} is not in the gateway's signed message"));
        }
    }

    private static bool VerifyMessage(SqliteConnection c, LedgerEntry e, Dictionary<string, ECDsa[]> keys, List<LedgerProblem> problems, out string payload)
    {
        payload = string.Empty;
        if (!CompactJws.TryDecode(e.MessageJws, out var token, out var error))
        {
            problems.Add(new LedgerProblem(e.Index, "bad_message", $"entry {e.Index}: the gateway message is not a valid JWS ({error})"));
            return false;
        }

        if (!keys.TryGetValue(token!.KeyId, out var gatewayKeys))
        {
            // Every key the gateway has had (a rotation must not make the records its old key signed fail).
            var pems = new List<string>();
            using (var cmd = c.Command("SELECT public_key_pem FROM gateway_keys WHERE gateway_id = $id UNION SELECT public_key_pem FROM gateways WHERE id = $id").With("$id", token.KeyId))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    pems.Add(r.GetString(0));
                }
            }

            gatewayKeys = [.. pems.Select(GatewayKeys.ImportPublicKeyPem)];
            keys[token.KeyId] = gatewayKeys;
        }

        payload = Encoding.UTF8.GetString(token.Payload);
        if (gatewayKeys.Length > 0 && !gatewayKeys.Any(k => CompactJws.Verify(token, k)))
        {
            problems.Add(new LedgerProblem(e.Index, "bad_gateway_signature", $"entry {e.Index}: gateway {token.KeyId}'s signature does not verify"));
            return false;
        }

        return true;
    }

    private static string? RecordedNodeKeyPem(SqliteConnection c) =>
        c.Command("SELECT value FROM ledger_meta WHERE key = 'node_public_key'").ExecuteScalar() as string;

    private static ECDsa? RecordedNodeKey(SqliteConnection c)
    {
        var pem = RecordedNodeKeyPem(c);
        if (pem is null)
        {
            return null;
        }

        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    private static string Fingerprint(ECDsa key) => GatewayKeys.Fingerprint(key);
}

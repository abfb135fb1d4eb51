using System.Data;
using System.Data.Common;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Provenance.Core.Signing;
using Provenance.Storage.Internal;
using Provenance.Storage.Ledger.Internal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// Re-checks the whole embedded ledger, streaming blocks from the database while workers on every core check them:
/// block heights, index ranges and header links; each entry's leaf hash, inclusion path and the Merkle root; each
/// block's node signature; the signed head (so that removing the last blocks shows); each gateway message's own
/// signature against the registered gateway key, and each record against the signed event it came in. Fails closed:
/// what cannot be checked (a missing message, an unregistered gateway) is a problem, not a skip. Works on any copy of
/// the database file; pass the node's public key to avoid trusting the key recorded in the database itself.
/// </summary>
public static class LedgerVerifier
{
    public const int MaxProblems = 50;

    private const int EvictEvery = 256;

    public static LedgerVerification Verify(ProvenanceDatabase database, ECDsa? trustedNodeKey = null, IProgress<long>? progress = null, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var c = database.Connect();
        // PostgreSQL runs one statement per connection at a time, and the chain is read by three at once: they share one
        // snapshot, as SQLite's readers on one connection do.
        using var snapshot = c.IsPostgres() ? c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead) : null;
        var problems = new ConcurrentBag<LedgerProblem>();
        var recordedPem = c.Command("SELECT value FROM ledger_meta WHERE key = 'node_public_key'").ExecuteScalar() as string;
        var keyPem = trustedNodeKey?.ExportSubjectPublicKeyInfoPem() ?? recordedPem;
        if (keyPem is null)
        {
            var count = c.Command("SELECT (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM ledger_blocks)").ScalarLong();
            IReadOnlyList<LedgerProblem> none = count == 0 ? [] : [new LedgerProblem(null, null, "no_node_key", "the ledger has entries but no recorded node key; pass the node's public key")];
            return new LedgerVerification(0, 0, none, null, false, none.Count);
        }

        if (trustedNodeKey is not null && recordedPem is not null && recordedPem != keyPem)
        {
            problems.Add(new LedgerProblem(null, null, "node_key_mismatch", "the node key recorded in the database is not the trusted node key"));
        }

        // Ledger format 1 predates PostgreSQL support: only an old SQLite file can hold it.
        if (!c.IsPostgres()
            && c.Command("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_v1'").ScalarLong() > 0
            && c.Command("SELECT COUNT(*) FROM ledger_v1").ScalarLong() > 0)
        {
            problems.Add(new LedgerProblem(null, null, "not_upgraded", "entries of ledger format 1 are waiting in ledger_v1: start `provenance serve` on this data directory once to re-check and re-block them, then verify"));
        }

        var gateways = LoadGateways(c);
        var messages = new ConcurrentDictionary<long, Lazy<GatewayMessageCheck>>();
        var channel = Channel.CreateBounded<BlockWork>(new BoundedChannelOptions(8) { SingleWriter = true });
        long entriesChecked = 0;
        var workerTasks = Enumerable.Range(0, workers ?? Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            using var nodeKey = ECDsa.Create();
            nodeKey.ImportFromPem(keyPem);
            await foreach (var work in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                foreach (var p in BlockCheck.Run(work, nodeKey, messages))
                {
                    problems.Add(p);
                }

                var done = Interlocked.Add(ref entriesChecked, work.Entries.Count);
                if (done / 10_000 != (done - work.Entries.Count) / 10_000)
                {
                    progress?.Report(done);
                }
            }
        })).ToArray();

        ChainTip tip;
        try
        {
            tip = StreamBlocks(c, snapshot is null ? null : () => SameSnapshot(database, c, snapshot), channel.Writer, messages, gateways, problems);
        }
        finally
        {
            channel.Writer.TryComplete();
            Task.WaitAll(workerTasks);
            foreach (var g in gateways.Values)
            {
                g.Dispose();
            }
        }

        using (var headKey = ECDsa.Create())
        {
            headKey.ImportFromPem(keyPem);
            CheckHead(c, headKey, tip, problems);
        }

        var ordered = problems.OrderBy(p => p.Block ?? 0).ThenBy(p => p.Index ?? 0).ToList();
        using var fingerprintKey = ECDsa.Create();
        fingerprintKey.ImportFromPem(keyPem);
        return new LedgerVerification(entriesChecked, tip.Height, ordered.Take(MaxProblems).ToList(), GatewayKeys.Fingerprint(fingerprintKey), trustedNodeKey is null, ordered.Count);
    }

    /// <summary>A second PostgreSQL connection reading the snapshot of <paramref name="snapshot"/>.</summary>
    private static (DbConnection, DbTransaction?) SameSnapshot(ProvenanceDatabase database, DbConnection c, DbTransaction snapshot)
    {
        var id = c.Command("SELECT pg_export_snapshot()", snapshot).ExecuteScalar() as string;
        var other = database.Connect();
        var transaction = other.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        other.Command($"SET TRANSACTION SNAPSHOT '{id}'", transaction).ExecuteNonQuery();
        return (other, transaction);
    }

    /// <summary>Reads blocks in height order with the entries of each one's index range, checks the links between blocks, and hands each block to the workers.</summary>
    private static ChainTip StreamBlocks(DbConnection c, Func<(DbConnection, DbTransaction?)>? another, ChannelWriter<BlockWork> writer, ConcurrentDictionary<long, Lazy<GatewayMessageCheck>> messages,
        Dictionary<string, RegisteredGateway> gateways, ConcurrentBag<LedgerProblem> problems)
    {
        var (entriesConnection, entriesSnapshot) = another?.Invoke() ?? (c, null);
        var (messageConnection, messageSnapshot) = another?.Invoke() ?? (c, null);
        using var ownEntries = entriesSnapshot is null ? null : entriesConnection;
        using var ownMessage = messageSnapshot is null ? null : messageConnection;
        using var blocks = c.Command($"SELECT {BlockChain.BlockColumns} FROM ledger_blocks ORDER BY height").ExecuteReader();
        using var entries = entriesConnection.Command($"SELECT {BlockChain.EntryColumns} FROM ledger ORDER BY idx", entriesSnapshot).ExecuteReader();
        using var message = messageConnection.Command("SELECT jws FROM messages WHERE id = @m", messageSnapshot);
        var messageId = message.Parameter("@m", DbType.Int64);
        var next = entries.Read() ? BlockChain.ReadEntry(entries) : null;
        var lastSeen = new Dictionary<long, long>();
        long height = 0, lastIndex = 0;
        var previous = LedgerHashing.Genesis;
        while (blocks.Read())
        {
            var block = BlockChain.ReadBlock(blocks);
            var h = block.Header;
            var headerHash = h.Hash();
            if (h.Height != height + 1)
            {
                problems.Add(new LedgerProblem(h.Height, null, "missing_block", $"blocks {height + 1}..{h.Height - 1} are missing (removed); the chain continues at block {h.Height}"));
            }

            if (!h.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                problems.Add(new LedgerProblem(h.Height, null, "chain_broken", $"block {h.Height} does not link to the block before it (a block was removed, inserted or re-ordered)"));
            }

            if (!headerHash.AsSpan().SequenceEqual(block.HeaderHash))
            {
                problems.Add(new LedgerProblem(h.Height, null, "modified_block", $"block {h.Height}'s stored header hash does not match its header"));
            }

            if (h.FirstIndex != lastIndex + 1 && h.FirstIndex > lastIndex)
            {
                problems.Add(new LedgerProblem(h.Height, lastIndex + 1, "missing", $"entries {lastIndex + 1}..{h.FirstIndex - 1} are in no block (removed with their block)"));
            }

            var inBlock = new List<LedgerEntry>(h.EntryCount);
            while (next is not null && next.Index <= h.LastIndex)
            {
                if (next.Index < h.FirstIndex)
                {
                    problems.Add(new LedgerProblem(h.Height, next.Index, "not_in_block", $"entry {next.Index} (event {next.EventId}) belongs to no signed block (inserted)"));
                }
                else
                {
                    inBlock.Add(next);
                    lastSeen[next.MessageId] = h.Height;
                    messages.GetOrAdd(next.MessageId, id =>
                    {
                        messageId.Value = id;
                        var jws = message.ExecuteScalar() as string;
                        return new Lazy<GatewayMessageCheck>(() => GatewayMessageCheck.Create(id, jws, gateways));
                    });
                }

                next = entries.Read() ? BlockChain.ReadEntry(entries) : null;
            }

            if (!writer.TryWrite(new BlockWork(block, inBlock)))
            {
                writer.WriteAsync(new BlockWork(block, inBlock)).AsTask().GetAwaiter().GetResult();
            }

            height = h.Height;
            lastIndex = Math.Max(lastIndex, h.LastIndex);
            if (height % EvictEvery == 0)
            {
                Evict(messages, lastSeen, height);
            }

            previous = headerHash;
        }

        for (; next is not null; next = entries.Read() ? BlockChain.ReadEntry(entries) : null)
        {
            problems.Add(new LedgerProblem(null, next.Index, "not_in_block", $"entry {next.Index} (event {next.EventId}) belongs to no signed block (inserted or appended without a block)"));
        }

        return new ChainTip(height, previous);
    }

    /// <summary>
    /// Forgets messages no block referenced in the last <see cref="EvictEvery"/> blocks, so memory stays flat however long
    /// the ledger is. Workers run at most the channel's capacity plus their number of blocks behind the reader, far less;
    /// a message referenced again later is simply read and checked again.
    /// </summary>
    private static void Evict(ConcurrentDictionary<long, Lazy<GatewayMessageCheck>> messages, Dictionary<long, long> lastSeen, long height)
    {
        foreach (var (id, seen) in lastSeen.Where(kv => kv.Value < height - EvictEvery).ToList())
        {
            lastSeen.Remove(id);
            messages.TryRemove(id, out _);
        }
    }

    private static void CheckHead(DbConnection c, ECDsa key, ChainTip tip, ConcurrentBag<LedgerProblem> problems)
    {
        if (c.Command("SELECT value FROM ledger_meta WHERE key = 'head'").ExecuteScalar() is not string head)
        {
            if (tip.Height > 0)
            {
                problems.Add(new LedgerProblem(tip.Height, null, "no_head", "the signed head is missing"));
            }

            return;
        }

        var parts = head.Split(':');
        if (parts.Length != 3 || !long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var headHeight))
        {
            problems.Add(new LedgerProblem(null, null, "bad_head", "the signed head is not readable"));
            return;
        }

        byte[] headHash, signature;
        try
        {
            headHash = Convert.FromHexString(parts[1]);
            signature = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            problems.Add(new LedgerProblem(null, null, "bad_head", "the signed head is not readable"));
            return;
        }

        if (headHash.Length != 32 || !LedgerHashing.Verify(key, LedgerHashing.HeadBytes(headHeight, headHash), signature))
        {
            problems.Add(new LedgerProblem(headHeight, null, "bad_head", "the signed head's signature is invalid"));
        }
        else if (headHeight != tip.Height || !headHash.AsSpan().SequenceEqual(tip.HeaderHash))
        {
            problems.Add(new LedgerProblem(tip.Height, null, "truncated", $"the signed head is block {headHeight} but the ledger ends at block {tip.Height}: blocks were removed from the end or the last block changed"));
        }
    }

    private static Dictionary<string, RegisteredGateway> LoadGateways(DbConnection c)
    {
        var keys = new Dictionary<string, List<(string Pem, string Fingerprint)>>(StringComparer.Ordinal);
        using var r = c.Command("SELECT k.gateway_id, k.public_key_pem, k.key_fingerprint FROM gateway_keys k JOIN gateways g ON g.id = k.gateway_id UNION SELECT id, public_key_pem, key_fingerprint FROM gateways").ExecuteReader();
        while (r.Read())
        {
            var list = keys.TryGetValue(r.GetString(0), out var found) ? found : keys[r.GetString(0)] = [];
            list.Add((r.GetString(1), r.GetString(2)));
        }

        return keys.ToDictionary(k => k.Key, k => new RegisteredGateway(k.Value), StringComparer.Ordinal);
    }

    private sealed record ChainTip(long Height, byte[] HeaderHash);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Provenance.Storage.Ledger.Internal;

/// <summary>
/// The CPU part of verifying one block, run on a worker: every leaf recomputed from its record and gateway message,
/// every stored inclusion path followed to the root, the Merkle root recomputed, the header signature checked and
/// each record compared with its signed gateway event.
/// </summary>
internal static class BlockCheck
{
    public static List<LedgerProblem> Run(BlockWork work, ECDsa nodeKey, ConcurrentDictionary<long, Lazy<GatewayMessageCheck>> messages)
    {
        var problems = new List<LedgerProblem>();
        var header = work.Block.Header;
        var height = header.Height;
        var leaves = new List<byte[]>(work.Entries.Count);
        var expected = header.FirstIndex;
        foreach (var e in work.Entries)
        {
            if (e.Index > expected)
            {
                problems.Add(new LedgerProblem(height, expected, "missing", $"entries {expected}..{e.Index - 1} of block {height} are missing (removed)"));
            }

            expected = e.Index + 1;
            var message = messages[e.MessageId].Value;
            var leaf = message.Hash is { } messageHash ? LedgerHashing.LeafHash(e.Index, e.EventId, e.RecordJson, messageHash) : e.LeafHash;
            leaves.Add(leaf);
            if (!leaf.AsSpan().SequenceEqual(e.LeafHash))
            {
                problems.Add(new LedgerProblem(height, e.Index, "modified", $"block {height}, event {e.EventId}: the entry does not match its leaf hash: its record, event id, index or gateway message was changed"));
            }

            if (e.BlockHeight != height)
            {
                problems.Add(new LedgerProblem(height, e.Index, "wrong_block", $"entry {e.Index} says it belongs to block {e.BlockHeight} but lies in block {height}'s range"));
            }

            if (message.CheckRecord(e.EventId, e.RecordJson) is { } wrong)
            {
                problems.Add(new LedgerProblem(height, e.Index, wrong.Kind, $"block {height}: {wrong.Text}"));
            }
        }

        if (expected <= header.LastIndex)
        {
            problems.Add(new LedgerProblem(height, expected, "missing", $"entries {expected}..{header.LastIndex} of block {height} are missing (removed)"));
        }

        CheckTree(work, leaves, problems);

        if (!LedgerHashing.Verify(nodeKey, header.ToBytes(), work.Block.Signature))
        {
            problems.Add(new LedgerProblem(height, null, "bad_signature", $"block {height} (entries {header.FirstIndex}..{header.LastIndex}) is not signed by the node key"));
        }

        return problems;
    }

    /// <summary>
    /// The Merkle root over the recomputed leaves, and every stored inclusion path. With every entry present the tree is
    /// built once and each stored path compared byte for byte with the computed one (cheaper than following each path);
    /// with entries missing, each stored path is followed from its stored leaf instead.
    /// </summary>
    private static void CheckTree(BlockWork work, List<byte[]> leaves, List<LedgerProblem> problems)
    {
        var header = work.Block.Header;
        if (leaves.Count == header.EntryCount && leaves.Count > 0)
        {
            var (root, paths) = MerkleTree.RootAndPaths(leaves);
            var entriesIntact = problems.Count == 0;
            for (var i = 0; i < work.Entries.Count; i++)
            {
                var e = work.Entries[i];
                if (!paths[i].AsSpan().SequenceEqual(e.MerklePath) && !FollowsToRoot(e, header))
                {
                    problems.Add(new LedgerProblem(header.Height, e.Index, "bad_path", $"block {header.Height}, event {e.EventId}: the stored inclusion path does not lead to the block's Merkle root"));
                }
            }

            if (entriesIntact && !root.AsSpan().SequenceEqual(header.MerkleRoot))
            {
                problems.Add(new LedgerProblem(header.Height, null, "bad_root", $"block {header.Height}'s entries do not hash to its Merkle root (entries re-ordered or the root changed)"));
            }

            return;
        }

        foreach (var e in work.Entries)
        {
            if (!FollowsToRoot(e, header))
            {
                problems.Add(new LedgerProblem(header.Height, e.Index, "bad_path", $"block {header.Height}, event {e.EventId}: the stored inclusion path does not lead to the block's Merkle root"));
            }
        }
    }

    private static bool FollowsToRoot(LedgerEntry e, LedgerBlockHeader header) =>
        MerkleTree.RootFromPath(e.LeafHash, e.MerklePath) is { } root && root.AsSpan().SequenceEqual(header.MerkleRoot);
}

/// <summary>A block and the entries stored in its index range, handed to a worker.</summary>
internal sealed record BlockWork(LedgerBlock Block, IReadOnlyList<LedgerEntry> Entries);

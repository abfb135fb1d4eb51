namespace Provenance.Storage.Ledger;

/// <summary>
/// The Merkle tree over a block's leaf hashes, shaped as RFC 6962 §2.1 (a tree of n &gt; 1 leaves splits at the
/// largest power of two below n; no leaf is duplicated). An inclusion path is the list of sibling hashes from the leaf
/// up, each step 33 bytes: one side byte (<see cref="SiblingOnLeft"/> or <see cref="SiblingOnRight"/>) and the
/// sibling's hash, so that a verifier needs neither the index nor the tree size. Stateless and thread-safe.
/// </summary>
public static class MerkleTree
{
    public const byte SiblingOnLeft = 0x00;
    public const byte SiblingOnRight = 0x01;
    public const int StepLength = 33;

    /// <summary>The root over <paramref name="leaves"/> (one leaf: the leaf itself).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("a block has at least one entry", nameof(leaves));
        }

        return Build(leaves, 0, leaves.Count, null);
    }

    /// <summary>The root and every leaf's inclusion path (encoded as described on <see cref="MerkleTree"/>).</summary>
    public static (byte[] Root, byte[][] Paths) RootAndPaths(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("a block has at least one entry", nameof(leaves));
        }

        var steps = new List<(byte Side, byte[] Hash)>[leaves.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = [];
        }

        var root = Build(leaves, 0, leaves.Count, steps);
        var paths = new byte[leaves.Count][];
        for (var i = 0; i < paths.Length; i++)
        {
            var path = new byte[steps[i].Count * StepLength];
            for (var s = 0; s < steps[i].Count; s++)
            {
                path[s * StepLength] = steps[i][s].Side;
                steps[i][s].Hash.CopyTo(path, (s * StepLength) + 1);
            }

            paths[i] = path;
        }

        return (root, paths);
    }

    /// <summary>Follows an inclusion path from a leaf; null when the path is malformed.</summary>
    public static byte[]? RootFromPath(ReadOnlySpan<byte> leaf, ReadOnlySpan<byte> path)
    {
        if (path.Length % StepLength != 0)
        {
            return null;
        }

        var current = leaf.ToArray();
        for (var offset = 0; offset < path.Length; offset += StepLength)
        {
            var sibling = path.Slice(offset + 1, 32);
            current = path[offset] switch
            {
                SiblingOnLeft => LedgerHashing.NodeHash(sibling, current),
                SiblingOnRight => LedgerHashing.NodeHash(current, sibling),
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static byte[] Build(IReadOnlyList<byte[]> leaves, int start, int count, List<(byte, byte[])>[]? steps)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var split = 1;
        while (split * 2 < count)
        {
            split *= 2;
        }

        var left = Build(leaves, start, split, steps);
        var right = Build(leaves, start + split, count - split, steps);
        if (steps is not null)
        {
            // Steps are collected bottom-up: inner calls have already added the lower levels.
            for (var i = start; i < start + split; i++)
            {
                steps[i].Add((SiblingOnRight, right));
            }

            for (var i = start + split; i < start + count; i++)
            {
                steps[i].Add((SiblingOnLeft, left));
            }
        }

        return LedgerHashing.NodeHash(left, right);
    }
}

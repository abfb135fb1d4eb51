using System.Data.Common;
using Provenance.Core.Packaging;
using Provenance.Storage.Packaging;

namespace Provenance.Storage.Internal;

/// <summary>
/// The rules of packing, checked and applied inside the caller's transaction (the producer API's, or ingestion's group
/// commit): levels nest in order, no cycles, one parent at a time, bottles must be issued. A refusal changes nothing.
/// </summary>
internal static class ContainerRules
{
    public static PackOutcome TryPack(DbConnection c, DbTransaction tx, ContainerPacking packing, DateTimeOffset now)
    {
        var levelName = PackagingLevels.Name(packing.Level);
        var existing = ContainerStore.Find(c, tx, packing.Code);
        if (existing is not null && existing.Level != packing.Level)
        {
            return PackOutcome.Refused(true, $"{packing.Code} is already registered as a {PackagingLevels.Name(existing.Level)}, not a {levelName}");
        }

        var ancestors = Ancestors(c, tx, packing.Code);
        var changed = new List<PackedChild>();
        var moved = new Dictionary<string, List<PackedChild>>(StringComparer.Ordinal);
        foreach (var child in packing.Containers.Distinct(StringComparer.Ordinal))
        {
            if (child == packing.Code || ancestors.Contains(child))
            {
                return PackOutcome.Refused(true, $"packing {child} into {packing.Code} would form a cycle: {(child == packing.Code ? "a container cannot hold itself" : $"{child} already holds {packing.Code}")}");
            }

            if (ContainerStore.Find(c, tx, child) is not { } stored)
            {
                return PackOutcome.Refused(false, $"{child} is not a known container; pack its contents first, then pack it into {packing.Code}");
            }

            if (stored.Level >= packing.Level)
            {
                return PackOutcome.Refused(false, $"a {PackagingLevels.Name(stored.Level)} ({child}) cannot go into a {levelName}: levels nest box → case → pallet");
            }

            if (stored.ParentCode == packing.Code)
            {
                continue;
            }

            if (stored.ParentCode is { } other)
            {
                if (!packing.Reassign)
                {
                    return PackOutcome.Refused(true, $"{child} is already in {other}; unpack it first, or send \"reassign\": true to move it");
                }

                Moved(moved, other).Add(new PackedChild(null, child));
            }

            changed.Add(new PackedChild(null, child));
        }

        using var issued = c.Command("SELECT 1 FROM tags WHERE gtin = @g AND serial = @s", tx);
        using var current = c.Command("SELECT case_code FROM case_tags WHERE gtin = @g AND serial = @s", tx);
        foreach (var bottle in packing.Bottles.Distinct())
        {
            if (Reset(issued).With("@g", bottle.Gtin).With("@s", bottle.Serial).ExecuteScalar() is null)
            {
                return PackOutcome.Refused(false, $"{bottle.Gtin}/{bottle.Serial} is not an issued bottle");
            }

            var parent = Reset(current).With("@g", bottle.Gtin).With("@s", bottle.Serial).ExecuteScalar() as string;
            if (parent == packing.Code)
            {
                continue;
            }

            if (parent is not null)
            {
                if (!packing.Reassign)
                {
                    return PackOutcome.Refused(true, $"bottle {bottle.Gtin}/{bottle.Serial} is already in {parent}; unpack it first, or send \"reassign\": true to move it");
                }

                Moved(moved, parent).Add(new PackedChild(bottle, null));
            }

            changed.Add(new PackedChild(bottle, null));
        }

        if (existing is null)
        {
            c.Command("INSERT INTO cases (code, created_at, level) VALUES (@c, @at, @l)", tx)
                .With("@c", packing.Code).With("@at", Sql.Timestamp(now)).With("@l", levelName).ExecuteNonQuery();
        }

        Apply(c, tx, packing.Code, changed);
        return new PackOutcome(changed, moved.ToDictionary(m => m.Key, m => (IReadOnlyList<PackedChild>)m.Value, StringComparer.Ordinal), null);
    }

    public static PackOutcome TryUnpack(DbConnection c, DbTransaction tx, string code, IReadOnlyCollection<TagKey> bottles, IReadOnlyCollection<string> containers)
    {
        if (ContainerStore.Find(c, tx, code) is null)
        {
            return PackOutcome.Refused(false, $"{code} is not a known container");
        }

        var direct = new List<PackedChild>();
        using (var cmd = c.Command("SELECT gtin, serial FROM case_tags WHERE case_code = @c", tx).With("@c", code))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                direct.Add(new PackedChild(new TagKey(r.GetString(0), r.GetString(1)), null));
            }
        }

        using (var cmd = c.Command("SELECT code FROM cases WHERE parent_code = @c", tx).With("@c", code))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                direct.Add(new PackedChild(null, r.GetString(0)));
            }
        }

        var wanted = bottles.Count == 0 && containers.Count == 0
            ? direct
            : [.. bottles.Distinct().Select(b => new PackedChild(b, null)), .. containers.Distinct(StringComparer.Ordinal).Select(k => new PackedChild(null, k))];
        if (wanted.FirstOrDefault(w => !direct.Contains(w)) is { } stranger)
        {
            var name = stranger.Bottle is { } b ? $"bottle {b.Gtin}/{b.Serial}" : stranger.Container;
            return PackOutcome.Refused(true, $"{name} is not directly in {code}; nothing was unpacked");
        }

        using var removeBottle = c.Command("DELETE FROM case_tags WHERE gtin = @g AND serial = @s AND case_code = @c", tx);
        using var removeContainer = c.Command("UPDATE cases SET parent_code = NULL WHERE code = @k AND parent_code = @c", tx);
        foreach (var child in wanted)
        {
            _ = child.Bottle is { } bottle
                ? Reset(removeBottle).With("@g", bottle.Gtin).With("@s", bottle.Serial).With("@c", code).ExecuteNonQuery()
                : Reset(removeContainer).With("@k", child.Container).With("@c", code).ExecuteNonQuery();
        }

        return new PackOutcome(wanted, new Dictionary<string, IReadOnlyList<PackedChild>>(), null);
    }

    private static void Apply(DbConnection c, DbTransaction tx, string code, List<PackedChild> changed)
    {
        using var placeBottle = c.Command("INSERT INTO case_tags (gtin, serial, case_code) VALUES (@g, @s, @c) ON CONFLICT (gtin, serial) DO UPDATE SET case_code = excluded.case_code", tx);
        using var placeContainer = c.Command("UPDATE cases SET parent_code = @c WHERE code = @k", tx);
        foreach (var child in changed)
        {
            _ = child.Bottle is { } bottle
                ? Reset(placeBottle).With("@g", bottle.Gtin).With("@s", bottle.Serial).With("@c", code).ExecuteNonQuery()
                : Reset(placeContainer).With("@k", child.Container).With("@c", code).ExecuteNonQuery();
        }
    }

    /// <summary>The containers above <paramref name="code"/> (its parent, the parent's parent, …).</summary>
    private static HashSet<string> Ancestors(DbConnection c, DbTransaction tx, string code)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = ContainerStore.Find(c, tx, code)?.ParentCode;
        while (next is not null && seen.Add(next) && seen.Count <= ContainerStore.MaxDepth)
        {
            next = ContainerStore.Find(c, tx, next)?.ParentCode;
        }

        return seen;
    }

    private static List<PackedChild> Moved(Dictionary<string, List<PackedChild>> moved, string parent) =>
        moved.TryGetValue(parent, out var list) ? list : moved[parent] = [];

    private static DbCommand Reset(DbCommand command)
    {
        command.Parameters.Clear();
        return command;
    }
}

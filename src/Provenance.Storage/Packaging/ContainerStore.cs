using System.Data;
using System.Data.Common;
using Provenance.Core.Packaging;
using Provenance.Storage.Epcis;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Packaging;

/// <summary>
/// The packaging hierarchy (bottle → box → case → pallet): containers with a level and at most one parent, each
/// bottle in at most one container. <see cref="ResolveBottles"/> is the one place that turns any container code into
/// the bottles at every depth below it; shipments, receipts and EPCIS capture resolve cases through it. Packing is
/// refused, with nothing changed, when it would form a cycle, put a container into one of its own level or lower,
/// or take a child out of another container without <see cref="ContainerPacking.Reassign"/>. Thread-safe.
/// </summary>
public sealed class ContainerStore(ProvenanceDatabase database)
{
    /// <summary>How deep a hierarchy can be (box, case, pallet) plus slack for data written before levels existed.</summary>
    internal const int MaxDepth = 16;

    public StoredContainer? Find(string code)
    {
        using var c = database.Connect();
        return Find(c, null, code);
    }

    /// <summary>Every bottle below <paramref name="code"/>, at any depth (empty when the container is unknown or empty).</summary>
    public IReadOnlyList<TagKey> ResolveBottles(string code)
    {
        using var c = database.Connect();
        return BottlesBelow(c, null, code);
    }

    /// <summary>The container and everything below it, or null when it is unknown.</summary>
    public ContainerTree? Tree(string code)
    {
        using var c = database.Connect();
        var root = Find(c, null, code);
        if (root is null)
        {
            return null;
        }

        var containers = new Dictionary<string, StoredContainer>(StringComparer.Ordinal) { [root.Code] = root };
        using (var cmd = c.Command(
            $"WITH RECURSIVE tree(code, depth) AS (SELECT @c, 0 UNION SELECT k.code, t.depth + 1 FROM cases k JOIN tree t ON k.parent_code = t.code WHERE t.depth < {MaxDepth}) " +
            "SELECT k.code, k.level, k.parent_code, k.created_at FROM cases k JOIN tree t ON t.code = k.code").With("@c", code))
        {
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var found = Read(r);
                containers[found.Code] = found;
            }
        }

        var bottles = containers.Keys.ToDictionary(k => k, _ => new List<TagKey>(), StringComparer.Ordinal);
        using (var cmd = c.Command("SELECT gtin, serial FROM case_tags WHERE case_code = @c ORDER BY gtin, serial"))
        {
            var p = cmd.Parameter("@c", DbType.String);
            foreach (var (key, list) in bottles)
            {
                p.Value = key;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    list.Add(new TagKey(r.GetString(0), r.GetString(1)));
                }
            }
        }

        var children = containers.Values.Where(k => k.ParentCode is not null && k.Code != root.Code).ToLookup(k => k.ParentCode!, StringComparer.Ordinal);
        ContainerTree Build(StoredContainer node, int depth)
        {
            var below = depth < MaxDepth ? children[node.Code].OrderBy(k => k.Code, StringComparer.Ordinal).Select(k => Build(k, depth + 1)).ToList() : [];
            return new ContainerTree(node.Code, node.Level, node.ParentCode, bottles[node.Code].Count + below.Sum(b => b.BottleCount), bottles[node.Code], below);
        }

        return Build(root, 0);
    }

    /// <summary>
    /// Packs children into a container in one transaction, with the EPCIS events <paramref name="events"/> builds from
    /// what changed (not called when the packing is refused).
    /// </summary>
    public PackOutcome Pack(ContainerPacking packing, Func<PackOutcome, IEnumerable<EpcisEventRow>>? events = null)
    {
        ArgumentNullException.ThrowIfNull(packing);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var now = database.Time.GetUtcNow();
        var outcome = ContainerRules.TryPack(c, tx, packing, now);
        return Finish(c, tx, outcome, events, now);
    }

    /// <summary>
    /// Takes children (all direct children when both lists are empty) out of a container, with the EPCIS events
    /// <paramref name="events"/> builds; a child that is not directly in the container is a conflict.
    /// </summary>
    public PackOutcome Unpack(string code, IReadOnlyCollection<TagKey> bottles, IReadOnlyCollection<string> containers, Func<PackOutcome, IEnumerable<EpcisEventRow>>? events = null)
    {
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var outcome = ContainerRules.TryUnpack(c, tx, code, bottles, containers);
        return Finish(c, tx, outcome, events, database.Time.GetUtcNow());
    }

    internal static StoredContainer? Find(DbConnection c, DbTransaction? tx, string code)
    {
        using var cmd = c.Command("SELECT code, level, parent_code, created_at FROM cases WHERE code = @c", tx).With("@c", code);
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    internal static IReadOnlyList<TagKey> BottlesBelow(DbConnection c, DbTransaction? tx, string code)
    {
        using var cmd = c.Command(
            $"WITH RECURSIVE tree(code, depth) AS (SELECT @c, 0 UNION SELECT k.code, t.depth + 1 FROM cases k JOIN tree t ON k.parent_code = t.code WHERE t.depth < {MaxDepth}) " +
            "SELECT DISTINCT ct.gtin, ct.serial FROM case_tags ct JOIN tree t ON ct.case_code = t.code ORDER BY ct.gtin, ct.serial", tx).With("@c", code);
        using var r = cmd.ExecuteReader();
        var list = new List<TagKey>();
        while (r.Read())
        {
            list.Add(new TagKey(r.GetString(0), r.GetString(1)));
        }

        return list;
    }

    private static PackOutcome Finish(DbConnection c, DbTransaction tx, PackOutcome outcome, Func<PackOutcome, IEnumerable<EpcisEventRow>>? events, DateTimeOffset now)
    {
        if (outcome.Refusal is not null)
        {
            tx.Rollback();
            return outcome;
        }

        foreach (var row in events?.Invoke(outcome) ?? [])
        {
            EpcisEventStore.Insert(c, tx, row, now);
        }

        tx.Commit();
        return outcome;
    }

    private static StoredContainer Read(DbDataReader r) =>
        new(r.GetString(0), PackagingLevels.TryParse(r.GetString(1), out var level) ? level : PackagingLevel.Case, r.NullableString(2), Sql.ParseTimestamp(r.GetString(3)));
}

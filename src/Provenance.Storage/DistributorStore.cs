using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// A dealer account: id, name, declared country and its sales region (JSON, see the API's <c>RegionDto</c>). Dealers form
/// a tree: a top-level <c>distributor</c> (no parent), its <c>sub_distributor</c>s and <c>retailer</c>s.
/// </summary>
public sealed record StoredDistributor(string Id, string Name, string? Country, string RegionJson, DateTimeOffset CreatedAt)
{
    /// <summary>The dealer above this one (null for a top-level distributor).</summary>
    public string? ParentId { get; init; }

    /// <summary><c>distributor</c>, <c>sub_distributor</c> or <c>retailer</c>.</summary>
    public string Level { get; init; } = "distributor";
}

/// <summary>Dealer accounts and their tree. Thread-safe.</summary>
public sealed class DistributorStore(ProvenanceDatabase database)
{
    private const string Columns = "SELECT id, name, country, region_json, created_at, parent_id, level FROM distributors";

    /// <summary>Adds a dealer; throws <see cref="RegistryConflictException"/> when the id exists.</summary>
    public void Add(StoredDistributor distributor)
    {
        ArgumentNullException.ThrowIfNull(distributor);
        using var c = database.Connect();
        try
        {
            c.Command("INSERT INTO distributors (id, name, country, region_json, created_at, parent_id, level) VALUES (@id, @n, @c, @r, @at, @p, @l)")
                .With("@id", distributor.Id).With("@n", distributor.Name).With("@c", distributor.Country).With("@r", distributor.RegionJson)
                .With("@at", Sql.Timestamp(distributor.CreatedAt)).With("@p", distributor.ParentId).With("@l", distributor.Level).ExecuteNonQuery();
        }
        catch (DbException e) when (StorageErrors.IsConstraintViolation(e))
        {
            throw new RegistryConflictException($"distributor {distributor.Id} already exists");
        }
    }

    public StoredDistributor? Find(string id)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} WHERE id = @id").With("@id", id);
        return Read(cmd).FirstOrDefault();
    }

    public IReadOnlyList<StoredDistributor> List()
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} ORDER BY id");
        return Read(cmd);
    }

    /// <summary>The dealers directly under <paramref name="parentId"/>.</summary>
    public IReadOnlyList<StoredDistributor> Children(string parentId)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} WHERE parent_id = @p ORDER BY id").With("@p", parentId);
        return Read(cmd);
    }

    /// <summary>The dealer and every dealer above it, nearest first (empty when it does not exist).</summary>
    public IReadOnlyList<StoredDistributor> Lineage(string id)
    {
        var line = new List<StoredDistributor>();
        for (var next = Find(id); next is not null && line.Count < 16; next = next.ParentId is { } p ? Find(p) : null)
        {
            line.Add(next);
        }

        return line;
    }

    private static List<StoredDistributor> Read(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<StoredDistributor>();
        while (r.Read())
        {
            list.Add(new StoredDistributor(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3), Sql.ParseTimestamp(r.GetString(4)))
            {
                ParentId = r.NullableString(5),
                Level = r.GetString(6),
            });
        }

        return list;
    }
}

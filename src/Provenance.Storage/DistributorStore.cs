using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A distributor account: id, name, declared country and its sales region (JSON, see the API's <c>RegionDto</c>).</summary>
public sealed record StoredDistributor(string Id, string Name, string? Country, string RegionJson, DateTimeOffset CreatedAt);

/// <summary>Distributor accounts. Thread-safe.</summary>
public sealed class DistributorStore(ProvenanceDatabase database)
{
    /// <summary>Adds a distributor; throws <see cref="RegistryConflictException"/> when the id exists.</summary>
    public void Add(StoredDistributor distributor)
    {
        ArgumentNullException.ThrowIfNull(distributor);
        using var c = database.Connect();
        try
        {
            c.Command("INSERT INTO distributors (id, name, country, region_json, created_at) VALUES ($id, $n, $c, $r, $at)")
                .With("$id", distributor.Id).With("$n", distributor.Name).With("$c", distributor.Country).With("$r", distributor.RegionJson)
                .With("$at", Sql.Timestamp(distributor.CreatedAt)).ExecuteNonQuery();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new RegistryConflictException($"distributor {distributor.Id} already exists");
        }
    }

    public StoredDistributor? Find(string id)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, name, country, region_json, created_at FROM distributors WHERE id = $id").With("$id", id);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StoredDistributor(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3), Sql.ParseTimestamp(r.GetString(4))) : null;
    }

    public IReadOnlyList<StoredDistributor> List()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT id, name, country, region_json, created_at FROM distributors ORDER BY id");
        using var r = cmd.ExecuteReader();
        var list = new List<StoredDistributor>();
        while (r.Read())
        {
            list.Add(new StoredDistributor(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3), Sql.ParseTimestamp(r.GetString(4))));
        }

        return list;
    }
}

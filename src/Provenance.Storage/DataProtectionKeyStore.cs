using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// The ASP.NET Core data-protection key ring as rows (name, XML as the key manager wrote it, already encrypted with the
/// server secret), so every instance on one database shares it. Keys are only added; the key manager expires them
/// itself. Thread-safe.
/// </summary>
public sealed class DataProtectionKeyStore(ProvenanceDatabase database)
{
    /// <summary>Every stored key's XML, oldest first.</summary>
    public IReadOnlyList<string> All()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        using var r = cmd.ExecuteReader();
        var keys = new List<string>();
        while (r.Read())
        {
            keys.Add(r.GetString(0));
        }

        return keys;
    }

    /// <summary>Stores a key under its name; a name already stored is kept as it was (false).</summary>
    public bool Add(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(xml);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        var added = c.Command("INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@n, @x, @at) ON CONFLICT (name) DO NOTHING", tx)
            .With("@n", name).With("@x", xml).With("@at", Sql.Timestamp(database.Time.GetUtcNow())).ExecuteNonQuery() == 1;
        tx.Commit();
        return added;
    }
}

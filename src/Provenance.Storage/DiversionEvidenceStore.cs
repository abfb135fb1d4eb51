using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A piece of diversion evidence that raised no dealer alert by itself: a consumer's scan outside the region (grade <c>weak</c>).</summary>
public sealed record StoredEvidence(long Id, string Gtin, string Serial, string? DistributorId, string Grade, string Source, string? Scanner, double? Lat, double? Lon, string? Country, DateTimeOffset At);

/// <summary>Weak diversion evidence, for the producer only. Thread-safe.</summary>
public sealed class DiversionEvidenceStore(ProvenanceDatabase database)
{
    private const string Columns = "SELECT id, gtin, serial, distributor_id, grade, source, scanner, lat, lon, country, at FROM diversion_evidence";

    public long Add(StoredEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        using var c = database.Connect();
        return c.Command("INSERT INTO diversion_evidence (gtin, serial, distributor_id, grade, source, scanner, lat, lon, country, at) VALUES (@g, @s, @d, @gr, @src, @sc, @lat, @lon, @c, @at) RETURNING id")
            .With("@g", evidence.Gtin).With("@s", evidence.Serial).With("@d", evidence.DistributorId).With("@gr", evidence.Grade).With("@src", evidence.Source)
            .With("@sc", evidence.Scanner).With("@lat", evidence.Lat).With("@lon", evidence.Lon).With("@c", evidence.Country).With("@at", Sql.Timestamp(evidence.At)).ScalarLong();
    }

    /// <summary>Evidence filtered by distributor and/or bottle and time, newest first.</summary>
    public IReadOnlyList<StoredEvidence> List(string? distributorId, string? gtin, string? serial, DateTimeOffset? since, int limit)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"{Columns} WHERE (CAST(@d AS TEXT) IS NULL OR distributor_id = @d) AND (CAST(@g AS TEXT) IS NULL OR gtin = @g) AND (CAST(@s AS TEXT) IS NULL OR serial = @s) " +
            "AND (CAST(@since AS TEXT) IS NULL OR at >= @since) ORDER BY id DESC LIMIT @n")
            .With("@d", distributorId).With("@g", gtin).With("@s", serial).With("@since", since is { } t ? Sql.Timestamp(t) : null).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<StoredEvidence>();
        while (r.Read())
        {
            list.Add(new StoredEvidence(r.GetInt64(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.GetString(4), r.GetString(5), r.NullableString(6),
                r.NullableDouble(7), r.NullableDouble(8), r.NullableString(9), Sql.ParseTimestamp(r.GetString(10))));
        }

        return list;
    }
}

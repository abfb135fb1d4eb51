using Provenance.Storage.Internal;

namespace Provenance.Storage.Epcis;

/// <summary>What one captured document changes: cases, shipments, receipts (as distributor scans) and the events themselves.</summary>
public sealed class CaptureChanges
{
    public List<(string CaseCode, IReadOnlyList<TagKey> Bottles)> Cases { get; } = [];

    public List<(string DistributorId, string RegionJson, IReadOnlyList<TagKey> Bottles)> Shipments { get; } = [];

    public List<ScanRecord> Receipts { get; } = [];

    public List<EpcisEventRow> Events { get; } = [];
}

/// <summary>
/// Applies a captured EPCIS document all or nothing: its cases, shipments, receipts and events in one transaction,
/// with the capture job's record (the events many per statement on PostgreSQL, as the seal projection writes them).
/// An event id already stored with other content rolls everything back (<see cref="EpcisConflictException"/>).
/// Thread-safe.
/// </summary>
public sealed class EpcisCaptureWriter(ProvenanceDatabase database)
{
    /// <summary>Applies the changes and returns how many events were new (events already captured identically are skipped).</summary>
    public int Apply(string captureId, string apiKeyId, CaptureChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var now = database.Time.GetUtcNow();
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        foreach (var (code, bottles) in changes.Cases)
        {
            ShipmentStore.InsertCase(c, tx, code, bottles, now);
        }

        foreach (var (distributor, region, bottles) in changes.Shipments)
        {
            ShipmentStore.InsertShipment(c, tx, distributor, region, bottles, now);
        }

        ScanStore.Insert(c, tx, changes.Receipts);
        using var inserter = new EpcisEventInserter(c, tx);
        var added = inserter.InsertMany(changes.Events, now);
        c.Command("INSERT INTO epcis_captures (id, api_key_id, created_at, event_count, success, errors_json) VALUES (@id, @k, @at, @n, 1, '[]')", tx)
            .With("@id", captureId).With("@k", apiKeyId).With("@at", Sql.Timestamp(now)).With("@n", changes.Events.Count).ExecuteNonQuery();
        tx.Commit();
        database.TagChanges.Publish(changes.Shipments.SelectMany(s => s.Bottles).Concat(changes.Receipts.Select(r => new TagKey(r.Gtin, r.Serial))));
        return added;
    }

    /// <summary>A capture job: who captured, when, how many events; null when unknown.</summary>
    public (string ApiKeyId, DateTimeOffset CreatedAt, int EventCount)? Find(string captureId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT api_key_id, created_at, event_count FROM epcis_captures WHERE id = @id").With("@id", captureId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), Sql.ParseTimestamp(r.GetString(1)), r.GetInt32(2)) : null;
    }
}

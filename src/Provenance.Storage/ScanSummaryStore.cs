using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>Read-only summaries of a tag's scan history, for the consumer page. Uses the <c>scans_tag</c> index. Thread-safe.</summary>
public sealed class ScanSummaryStore(ProvenanceDatabase database)
{
    public TagScanSummary Summarise(string gtin, string serial)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT COUNT(*), MIN(scanned_at), MAX(scanned_at) FROM scans WHERE gtin = @g AND serial = @s").With("@g", gtin).With("@s", serial);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new TagScanSummary(
            r.GetInt64(0),
            r.IsDBNull(1) ? null : Sql.ParseTimestamp(r.GetString(1)),
            r.IsDBNull(2) ? null : Sql.ParseTimestamp(r.GetString(2)));
    }
}

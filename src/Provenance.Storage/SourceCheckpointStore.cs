using Provenance.Storage.Ingestion;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>
/// Reads the positions of replayable sources; <see cref="IngestionWriter"/> writes them with the messages they cover.
/// Thread-safe.
/// </summary>
public sealed class SourceCheckpointStore(ProvenanceDatabase database)
{
    public SourceCheckpoint? Find(string source, string partition)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT sequence_number, offset_text FROM source_checkpoints WHERE source = @s AND partition_id = @p")
            .With("@s", source).With("@p", partition);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new SourceCheckpoint(source, partition, r.GetInt64(0), r.NullableString(1)) : null;
    }

    public IReadOnlyList<SourceCheckpoint> List(string source)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT partition_id, sequence_number, offset_text FROM source_checkpoints WHERE source = @s ORDER BY partition_id").With("@s", source);
        using var r = cmd.ExecuteReader();
        var list = new List<SourceCheckpoint>();
        while (r.Read())
        {
            list.Add(new SourceCheckpoint(source, r.GetString(0), r.GetInt64(1), r.NullableString(2)));
        }

        return list;
    }
}
